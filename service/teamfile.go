package service

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"overlap/calendar"
	"overlap/planner"
	"overlap/store"
)

// TeamFile is a team described offline, in the API's shape: the team's
// fields with its members inline, each member naming iCalendar files.
type TeamFile struct {
	Team    store.Team
	Members []store.Member
	// Calendars holds, per member, the calendar paths as written in the file.
	Calendars [][]string
	// CoreHours are the team's core hours ("core_hours", optional, as the
	// API adopts them); nil when the file has none.
	CoreHours *planner.CoreHours
	// ReviewSettings are the file's "review_settings" (optional, as the
	// API takes them), absent fields taking their defaults.
	ReviewSettings planner.ReviewSettings
}

type teamFileJSON struct {
	TeamInput
	Members        []teamFileMember        `json:"members"`
	CoreHours      *planner.CoreHours      `json:"core_hours"`
	ReviewSettings *planner.ReviewSettings `json:"review_settings"`
}

type teamFileMember struct {
	// ID names the member in the output; it defaults to the email.
	ID string `json:"id"`
	MemberInput
	Calendars []string `json:"calendars"`
}

// ReadTeamFile decodes and validates a team file with the API's rules; a
// field error names the path, such as "members[1].working_hours.mon[0]".
func ReadTeamFile(data []byte) (*TeamFile, error) {
	in := teamFileJSON{ReviewSettings: new(planner.DefaultReviewSettings())}
	if err := DecodeJSON(data, &in); err != nil {
		return nil, err
	}
	out := &TeamFile{Team: newTeam(), CoreHours: in.CoreHours}
	if err := in.apply(&out.Team); err != nil {
		return nil, err
	}
	if err := in.checkReview(out.Team.Policy); err != nil {
		return nil, err
	}
	out.ReviewSettings = *in.ReviewSettings
	ids := map[string]int{}
	for i, fm := range in.Members {
		m := newMember("")
		field := fmt.Sprintf("members[%d]", i)
		if err := fm.apply(&m); err != nil {
			return nil, under(field, err)
		}
		m.ID = strings.TrimSpace(fm.ID)
		if m.ID == "" {
			m.ID = m.Email
		}
		if j, taken := ids[m.ID]; taken {
			return nil, fieldError(field+".id", "%q is also members[%d]", Excerpt(m.ID), j)
		}
		ids[m.ID] = i
		out.Members = append(out.Members, m)
		out.Calendars = append(out.Calendars, fm.Calendars)
	}
	if in.CoreHours != nil {
		policy, err := plannerPolicy(out.Team.Policy)
		if err != nil {
			return nil, err
		}
		if err := in.CoreHours.Validate(policy); err != nil {
			return nil, under("core_hours", err)
		}
		out.CoreHours = in.CoreHours
	}
	return out, nil
}

// checkReview checks the file's core hours against the team's policy and
// its review settings.
func (in *teamFileJSON) checkReview(policy store.Policy) error {
	if in.ReviewSettings == nil { // "review_settings": null
		in.ReviewSettings = new(planner.DefaultReviewSettings())
	}
	if err := in.ReviewSettings.Validate(); err != nil {
		return under("review_settings", err)
	}
	if in.CoreHours == nil {
		return nil
	}
	p, err := plannerPolicy(policy)
	if err != nil {
		return err
	}
	return under("core_hours", in.CoreHours.Validate(p))
}

// CalendarReader reads and parses one of a team file's calendars. It is
// called when the member's busy time is read, so that a large team's parsed
// calendars need not all be held at once: each goes once it is expanded.
type CalendarReader func(context.Context) (*calendar.Calendar, error)

// Parsed is the CalendarReader of a calendar already parsed.
func Parsed(cal *calendar.Calendar) CalendarReader {
	return func(context.Context) (*calendar.Calendar, error) { return cal, nil }
}

// LoadTeamFile is LoadTeam for a team file: calendars[i] read member i's
// calendars. The first error of a reader stops the load and is returned.
func (s *Service) LoadTeamFile(ctx context.Context, file *TeamFile, calendars [][]CalendarReader, from, to time.Time) (*PlanningTeam, error) {
	if err := CheckRange(from, to); err != nil {
		return nil, err
	}
	sourced := make([][]sourcedCalendar, len(calendars))
	for i, readers := range calendars {
		for _, read := range readers {
			sourced[i] = append(sourced[i], sourcedCalendar{read: read})
		}
	}
	return s.planningTeam(ctx, file.Team, file.Members, sourced, from, to, nil)
}

// TeamFileFeed writes the feed a team file would publish over the range of
// pt (loaded with LoadTeamFile): its core hours, else its top proposal,
// in the team's zone, or in the zone of the member with memberEmail when
// it is not "". Offline slots have no agenda and no clock judges them, so
// each needs one; the same input always gives the same bytes.
func (s *Service) TeamFileFeed(ctx context.Context, file *TeamFile, pt *PlanningTeam, memberEmail string) ([]byte, error) {
	core := file.CoreHours
	if core == nil {
		plan, err := planner.Plan(ctx, pt.Team, pt.From, pt.To)
		if err != nil {
			return nil, err
		}
		if len(plan.Proposals) == 0 {
			return nil, fieldError("core_hours", "are not in the file, and the team has no proposal to take instead")
		}
		core = &planner.CoreHours{CycleWeeks: plan.Proposals[0].CycleWeeks, Windows: plan.Proposals[0].Windows}
	}
	occurrences, err := planner.CoreOccurrences(ctx, adoptionTeam(pt.Team, pt.Team.Location), *core, pt.From, pt.To)
	if err != nil {
		return nil, err
	}
	t := file.Team
	t.ID = "file:" + t.Name
	set := &slotSet{team: t, planning: pt.Team, from: pt.From, to: pt.To, slots: make([]Slot, 0, len(occurrences))}
	for _, o := range occurrences {
		set.slots = append(set.slots, newSlot(t, planner.SlotID(t.ID, o.Start, o.End), o, nil, pt.From, time.Time{}))
	}
	memberID := ""
	if memberEmail != "" {
		for _, m := range file.Members {
			if strings.EqualFold(m.Email, memberEmail) {
				memberID = m.ID
			}
		}
		if memberID == "" {
			return nil, fieldError("member", "%q is not the email of a member of the team file", Excerpt(memberEmail))
		}
	}
	feed, err := buildFeed(set, memberID)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := calendar.WriteFeed(&out, feed); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
