package api

import (
	"bytes"
	"encoding/csv"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"overlap/planner"
)

func (s *Server) reviewHandler(c echo.Context) error {
	q, err := s.readPlanQuery(c)
	if err != nil {
		return err
	}
	review, err := s.svc.Review(c.Request().Context(), c.Param("team"), q.from, q.to)
	if err != nil {
		return err
	}
	localize(review, q.zone)
	return c.JSON(http.StatusOK, review)
}

// loadHandler answers the load report as JSON, or as CSV to a client
// that prefers text/csv.
func (s *Server) loadHandler(c echo.Context) error {
	q, err := s.readPlanQuery(c)
	if err != nil {
		return err
	}
	report, err := s.svc.Load(c.Request().Context(), c.Param("team"), q.from, q.to)
	if err != nil {
		return err
	}
	c.Response().Header().Add(echo.HeaderVary, echo.HeaderAccept)
	if !prefersCSV(c.Request().Header.Values(echo.HeaderAccept)) {
		return c.JSON(http.StatusOK, report)
	}
	body, err := loadCSV(report.Members)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8; header=present", body)
}

func (s *Server) getReviewSettingsHandler(c echo.Context) error {
	settings, err := s.svc.FindReviewSettings(c.Request().Context(), c.Param("team"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, settings)
}

// putReviewSettingsHandler replaces a team's review settings; fields the
// body leaves out take their defaults, so {} restores them all.
func (s *Server) putReviewSettingsHandler(c echo.Context) error {
	settings := planner.DefaultReviewSettings()
	if err := s.decodeJSON(c, &settings); err != nil {
		return err
	}
	stored, err := s.svc.PutReviewSettings(c.Request().Context(), c.Param("team"), settings)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, stored)
}

// prefersCSV reads Accept (RFC 9110 §12.5.1): CSV when text/csv has a
// higher quality than JSON, which is also the answer to anything else.
func prefersCSV(accept []string) bool {
	csvQ, jsonQ := -1.0, -1.0
	for _, value := range accept {
		for _, item := range strings.Split(value, ",") {
			mediaType, params, err := mime.ParseMediaType(strings.TrimSpace(item))
			if err != nil {
				continue
			}
			q := 1.0
			if raw, ok := params["q"]; ok {
				if q, err = strconv.ParseFloat(raw, 64); err != nil {
					continue
				}
			}
			switch mediaType {
			case "text/csv":
				csvQ = max(csvQ, q)
			case "application/json", "application/*", "*/*":
				jsonQ = max(jsonQ, q)
			}
		}
	}
	return csvQ > 0 && csvQ > jsonQ
}

// loadColumns are the CSV columns, named like the JSON fields.
var loadColumns = []struct {
	name  string
	value func(*planner.MemberLoad) string
}{
	{"member", func(m *planner.MemberLoad) string { return m.Member }},
	{"name", func(m *planner.MemberLoad) string { return m.Name }},
	{"timezone", func(m *planner.MemberLoad) string { return m.Timezone }},
	{"meetings_attended", func(m *planner.MemberLoad) string { return strconv.Itoa(m.MeetingsAttended) }},
	{"meeting_hours_per_week", func(m *planner.MemberLoad) string { return decimal(m.MeetingHoursPerWeek) }},
	{"outside_working_hours_per_week", func(m *planner.MemberLoad) string { return decimal(m.OutsideWorkingHoursPerWeek) }},
	{"go_async_hours_per_week", func(m *planner.MemberLoad) string { return decimal(m.GoAsyncHoursPerWeek) }},
	{"core_slots", func(m *planner.MemberLoad) string { return strconv.Itoa(m.CoreSlots) }},
	{"core_slots_outside_working", func(m *planner.MemberLoad) string { return strconv.Itoa(m.CoreSlotsOutsideWorking) }},
	{"core_slots_outside_preferred", func(m *planner.MemberLoad) string { return strconv.Itoa(m.CoreSlotsOutsidePreferred) }},
	{"inconvenient_slots", func(m *planner.MemberLoad) string { return strconv.Itoa(m.InconvenientSlots) }},
	{"early_slots", func(m *planner.MemberLoad) string { return strconv.Itoa(m.EarlySlots) }},
	{"late_slots", func(m *planner.MemberLoad) string { return strconv.Itoa(m.LateSlots) }},
	{"inconvenient_share", func(m *planner.MemberLoad) string { return decimal(m.InconvenientShare) }},
}

// loadCSV writes the members' load as RFC 4180 CSV: a header row, then one
// row per member, CRLF line ends.
func loadCSV(members []planner.MemberLoad) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	row := make([]string, len(loadColumns))
	for i, col := range loadColumns {
		row[i] = col.name
	}
	if err := w.Write(row); err != nil {
		return nil, err
	}
	for m := range members {
		for i, col := range loadColumns {
			row[i] = spreadsheetSafe(col.value(&members[m]))
		}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func decimal(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// spreadsheetSafe keeps a spreadsheet from reading a name such as
// "=HYPERLINK(…)" as a formula: a cell starting with = + - @ or a tab or
// carriage return gets a leading apostrophe, as OWASP advises for CSV
// files that people open.
func spreadsheetSafe(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}
