package service

import (
	"context"
	"time"

	"overlap/planner"
)

// maxPictureDays bounds the range of an overlap picture: a row per date
// stays readable for a month.
const maxPictureDays = 31

// OverlapPicture is a team's heat map laid out on the wall-clock hours of
// a zone, with the names a person reads: what the team page and the
// embeddable SVG draw.
type OverlapPicture struct {
	Team string
	// Location is the zone of the hours, Timezone its name.
	Location *time.Location
	Timezone string
	From, To time.Time
	// Members are in the heat map's order; the cells' Full and Part
	// index them.
	Members              []PictureMember
	Rows                 []planner.HourRow
	MembersWithCalendars int
	Notices              []CalendarNotice
}

// PictureMember is a member as the picture names them.
type PictureMember struct {
	ID, Name, Timezone string
}

// OverlapPicture lays a team's heat map of [from, to) out on the hours of
// zone's dates, or of the team's zone when zone is nil. The range is at
// most maxPictureDays long (a field error naming "to").
func (s *Service) OverlapPicture(ctx context.Context, teamID string, from, to time.Time, zone *time.Location) (*OverlapPicture, error) {
	if err := CheckRange(from, to); err != nil {
		return nil, err
	}
	// An hour of slack: a month of dates in a zone may hold a clock change.
	if to.Sub(from) > maxPictureDays*24*time.Hour+time.Hour {
		return nil, fieldError("to", "must be at most %d days after from: the picture has a row per date", maxPictureDays)
	}
	team, err := s.FindTeam(ctx, teamID)
	if err != nil {
		return nil, err
	}
	pt, heat, err := s.overlap(ctx, teamID, from, to)
	if err != nil {
		return nil, err
	}
	if zone == nil {
		zone = pt.Team.Location
	}
	out := &OverlapPicture{
		Team: team.Name, Location: zone, Timezone: zone.String(), From: pt.From, To: pt.To,
		Members:              make([]PictureMember, len(pt.Team.Members)),
		Rows:                 planner.HourGrid(heat, zone, pt.From, pt.To),
		MembersWithCalendars: pt.MembersWithCalendars, Notices: pt.Notices,
	}
	for i, m := range pt.Team.Members {
		out.Members[i] = PictureMember{ID: m.ID, Name: m.Name, Timezone: m.Location.String()}
	}
	return out, nil
}
