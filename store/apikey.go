package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// APIKey is a bearer credential. Only a hash of its secret is stored.
type APIKey struct {
	ID string `json:"id" gorm:"primaryKey"`
	// TokenHash is the SHA-256 of the whole token. Tokens carry 256 random
	// bits, so a fast hash is enough: there is nothing to brute-force.
	TokenHash string `json:"-"`
	// Scope is "admin", "read" or "team:<id>".
	Scope     string     `json:"scope"`
	Label     string     `json:"label"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at"`
}

// tokenPrefix marks Overlap keys so they are recognisable in logs and secret scanners.
const tokenPrefix = "ovl_"

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateAPIKey makes a key with the given scope and returns it with its
// token, which is not stored and cannot be recovered later.
func (s *Store) CreateAPIKey(ctx context.Context, scope, label string) (*APIKey, string, error) {
	token := tokenPrefix + randomToken(32)
	k := &APIKey{ID: newID(), TokenHash: hashToken(token), Scope: scope, Label: label, CreatedAt: s.Now()}
	if err := s.db.WithContext(ctx).Create(k).Error; err != nil {
		return nil, "", translate(err)
	}
	return k, token, nil
}

// FindAPIKeyByToken returns the unrevoked key with this token, or ErrNotFound.
func (s *Store) FindAPIKeyByToken(ctx context.Context, token string) (*APIKey, error) {
	if !strings.HasPrefix(token, tokenPrefix) {
		return nil, ErrNotFound
	}
	var k APIKey
	err := s.db.WithContext(ctx).Take(&k, "token_hash = ? AND revoked_at IS NULL", hashToken(token)).Error
	if err != nil {
		return nil, translate(err)
	}
	return &k, nil
}

// FindAPIKeys lists every key, revoked ones included, in creation order.
func (s *Store) FindAPIKeys(ctx context.Context) ([]APIKey, error) {
	var ks []APIKey
	err := s.db.WithContext(ctx).Order("id").Find(&ks).Error
	return ks, translate(err)
}

// CountAPIKeys counts every key ever made, revoked ones included.
func (s *Store) CountAPIKeys(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&APIKey{}).Count(&n).Error
	return n, translate(err)
}

// RevokeAPIKey stops a key from authenticating. Revoking twice is allowed;
// an unknown id is ErrNotFound.
func (s *Store) RevokeAPIKey(ctx context.Context, id string) error {
	res := s.db.WithContext(ctx).Model(&APIKey{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", s.Now())
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		if err := s.db.WithContext(ctx).Select("id").Take(&APIKey{}, "id = ?", id).Error; err != nil {
			return translate(err)
		}
	}
	return nil
}
