package api

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// The team page: plain HTML, CSS and JavaScript modules embedded in the
// binary, with no build step. It calls the JSON API with the key a person
// signs in with, which it keeps in the tab's sessionStorage only.

//go:embed web/index.html web/*.css web/*.js
var webFiles embed.FS

// pageAsset is one embedded file, ready to serve.
type pageAsset struct {
	body        []byte
	contentType string
	etag        string
}

// pageAssets are the embedded files by name ("index.html", "app.js").
var pageAssets = loadPageAssets()

func loadPageAssets() map[string]pageAsset {
	entries, err := webFiles.ReadDir("web")
	if err != nil {
		panic("api: embedded page: " + err.Error())
	}
	out := map[string]pageAsset{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		body, err := webFiles.ReadFile("web/" + e.Name())
		if err != nil {
			panic("api: embedded page: " + err.Error())
		}
		sum := sha256.Sum256(body)
		contentType := mime.TypeByExtension(path.Ext(e.Name()))
		if strings.HasSuffix(e.Name(), ".js") {
			contentType = "text/javascript; charset=utf-8" // hosts' mime tables differ
		}
		out[e.Name()] = pageAsset{body: body, contentType: contentType, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	}
	return out
}

// pagePolicy lets the page load its own scripts, styles and API answers
// and nothing else: no inline script, no third party, no framing.
const pagePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) pageHandler(c echo.Context) error { return servePageAsset(c, "index.html") }

func (s *Server) pageAssetHandler(c echo.Context) error {
	name := c.Param("asset")
	if name == "index.html" {
		return newProblem("not-found", "no such asset")
	}
	return servePageAsset(c, name)
}

// servePageAsset answers an embedded file with its ETag; browsers ask
// again each time (no-cache), so a new binary's page is seen at once,
// and an unchanged file costs a 304.
func servePageAsset(c echo.Context, name string) error {
	asset, ok := pageAssets[name]
	if !ok {
		return newProblem("not-found", "no such asset")
	}
	h := c.Response().Header()
	h.Set("Content-Security-Policy", pagePolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", asset.etag)
	for _, tag := range strings.Split(c.Request().Header.Get("If-None-Match"), ",") {
		if strings.TrimSpace(tag) == asset.etag {
			return c.NoContent(http.StatusNotModified)
		}
	}
	return c.Blob(http.StatusOK, asset.contentType, asset.body)
}
