package api

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"overlap/planner"
	"overlap/service"
)

// The overlap picture is a team's heat map as one self-contained SVG: a
// row per date, a column per wall-clock hour of the zone asked for, each
// cell coloured and numbered with how many members are available all
// hour, its <title> naming them. Wikis embed it; the team page inlines
// the very same drawing and makes its cells focusable.

func (s *Server) overlapPictureHandler(c echo.Context) error {
	q, err := s.readPlanQuery(c)
	if err != nil {
		return err
	}
	picture, err := s.svc.OverlapPicture(c.Request().Context(), c.Param("team"), q.from, q.to, q.zone)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	// Opened on its own, the picture may load nothing and run nothing.
	h.Set("Content-Security-Policy", "default-src 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-cache")
	return c.Blob(http.StatusOK, "image/svg+xml; charset=utf-8", overlapSVG(picture))
}

// The picture's geometry, in SVG user units (pixels at 100%).
const (
	svgLabelWidth    = 96
	svgCellWidth     = 36
	svgCellHeight    = 28
	svgCaptionHeight = 30
	svgHeaderHeight  = 22
	svgLegendHeight  = 66
	svgWidth         = svgLabelWidth + 24*svgCellWidth
)

// blues is ColorBrewer's sequential single-hue Blues scale: lightness
// alone tells its levels apart, so it reads the same with any colour
// blindness and in greyscale; every cell carries its number as well.
var blues = [...]string{"#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"}

// firstLightText is the first level dark enough for white text (a
// contrast of 5:1 or more); lighter levels take black (6:1 or more).
const firstLightText = 6

// level is the colour level of count members available out of members:
// 0 for nobody, the darkest for everyone.
func level(count, members int) int {
	switch {
	case count <= 0 || members <= 0:
		return 0
	case count >= members:
		return len(blues) - 1
	}
	return 1 + count*(len(blues)-2)/members
}

func textColour(level int) string {
	if level >= firstLightText {
		return "#ffffff"
	}
	return "#000000"
}

// overlapSVG draws the picture.
func overlapSVG(p *service.OverlapPicture) []byte {
	var b bytes.Buffer
	height := svgCaptionHeight + svgHeaderHeight + len(p.Rows)*svgCellHeight + svgLegendHeight
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="overlap-picture" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="overlap-title" aria-describedby="overlap-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-size="12">`+"\n",
		svgWidth, height, svgWidth, height)
	fmt.Fprintf(&b, "<title id=\"overlap-title\">%s</title>\n<desc id=\"overlap-desc\">%s</desc>\n", esc(pictureTitle(p)), esc(pictureDescription(p)))
	fmt.Fprintf(&b, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", svgWidth, height)
	fmt.Fprintf(&b, "<text class=\"caption\" x=\"0\" y=\"20\" font-size=\"15\" font-weight=\"600\" fill=\"#000000\">%s</text>\n", esc(pictureTitle(p)))
	writeHourHeader(&b)
	for r, row := range p.Rows {
		writeRow(&b, p, row, svgCaptionHeight+svgHeaderHeight+r*svgCellHeight)
	}
	writeLegend(&b, p, svgCaptionHeight+svgHeaderHeight+len(p.Rows)*svgCellHeight+10)
	b.WriteString("</svg>\n")
	return b.Bytes()
}

func esc(s string) string { return html.EscapeString(s) }

func pictureTitle(p *service.OverlapPicture) string {
	return fmt.Sprintf("%s: who is available, hours in %s (%s)", p.Team, p.Timezone, pictureOffsets(p))
}

func pictureDescription(p *service.OverlapPicture) string {
	var d strings.Builder
	first, last := p.Rows[0].Date, p.Rows[len(p.Rows)-1].Date
	fmt.Fprintf(&d, "A row per date from %s to %s and a column per hour in %s. Each cell shows how many of the team's %d members are available for the whole hour; its title names them.",
		dayLabel(first), dayLabel(last), p.Timezone, len(p.Members))
	switch {
	case len(p.Members) == 0:
		d.WriteString(" The team has no members yet.")
	case p.MembersWithCalendars == 0:
		d.WriteString(" No member has a calendar yet, so availability is working hours and time off alone.")
	}
	return d.String()
}

// pictureOffsets names the zone's UTC offsets over the picture, in order:
// "UTC+01:00", or "UTC+01:00, then UTC+02:00" across a clock change.
func pictureOffsets(p *service.OverlapPicture) string {
	var offsets []string
	for _, row := range p.Rows {
		for _, c := range row.Cells {
			_, off := c.Start.In(p.Location).Zone()
			name := utcOffset(off)
			if len(offsets) == 0 || offsets[len(offsets)-1] != name {
				offsets = append(offsets, name)
			}
		}
	}
	return strings.Join(offsets, ", then ")
}

func utcOffset(seconds int) string {
	sign := "+"
	if seconds < 0 {
		sign, seconds = "−", -seconds
	}
	return fmt.Sprintf("UTC%s%02d:%02d", sign, seconds/3600, seconds%3600/60)
}

func dayLabel(d planner.Date) string {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Format("Mon 2 Jan 2006")
}

func writeHourHeader(b *bytes.Buffer) {
	y := svgCaptionHeight + svgHeaderHeight/2
	b.WriteString(`<g class="hours" role="row">`)
	for hour := range 24 {
		x := svgLabelWidth + hour*svgCellWidth + svgCellWidth/2
		fmt.Fprintf(b, `<text role="columnheader" x="%d" y="%d" text-anchor="middle" dominant-baseline="central" fill="#000000">%02d</text>`, x, y, hour)
	}
	b.WriteString("</g>\n")
}

// writeRow draws one date at height y: its label and its 24 hours.
func writeRow(b *bytes.Buffer, p *service.OverlapPicture, row planner.HourRow, y int) {
	day := time.Date(row.Date.Year, row.Date.Month, row.Date.Day, 0, 0, 0, 0, time.UTC)
	fmt.Fprintf(b, `<g class="day" role="row" data-date="%s"><text role="rowheader" x="0" y="%d" dominant-baseline="central" fill="#000000">%s</text>`,
		row.Date, y+svgCellHeight/2, day.Format("Mon 2 Jan"))
	b.WriteString("\n")
	for _, c := range row.Cells {
		writeCell(b, p, day, c, svgLabelWidth+c.Hour*svgCellWidth, y)
	}
	b.WriteString("</g>\n")
}

func writeCell(b *bytes.Buffer, p *service.OverlapPicture, day time.Time, c planner.HourCell, x, y int) {
	fill, text, ink := "#ffffff", "", "#000000"
	switch {
	case c.InRange:
		l := level(len(c.Full), len(p.Members))
		fill, text, ink = blues[l], fmt.Sprint(len(c.Full)), textColour(l)
	case c.Minutes() == 0:
		fill, text = "#d9d9d9", "–"
	}
	fmt.Fprintf(b, `<g class="cell" role="gridcell" data-start="%s" data-end="%s" data-count="%d" data-part="%d">`,
		c.Start.Format(time.RFC3339), c.End.Format(time.RFC3339), len(c.Full), len(c.Part))
	fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="#ffffff" stroke-width="1"/>`, x, y, svgCellWidth, svgCellHeight, fill)
	if text != "" {
		fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="middle" dominant-baseline="central" fill="%s">%s</text>`, x+svgCellWidth/2, y+svgCellHeight/2, ink, text)
	}
	fmt.Fprintf(b, "<title>%s</title></g>\n", esc(cellTitle(p, day, c)))
}

// maxNamed bounds the names a cell's title lists.
const maxNamed = 12

// cellTitle says who is available in a cell, as a sentence.
func cellTitle(p *service.OverlapPicture, day time.Time, c planner.HourCell) string {
	hours := fmt.Sprintf("%s, %02d:00–%02d:00", day.Format("Mon 2 Jan"), c.Hour, (c.Hour+1)%24)
	switch {
	case !c.InRange && c.Minutes() == 0:
		return hours + " does not happen: clocks go forward."
	case !c.InRange:
		return hours + ": outside the range shown."
	}
	var t strings.Builder
	fmt.Fprintf(&t, "%s: %d of %d available all hour", hours, len(c.Full), len(p.Members))
	if len(c.Full) > 0 {
		t.WriteString(" — " + names(p, c.Full))
	}
	t.WriteString(".")
	if len(c.Part) > 0 {
		fmt.Fprintf(&t, " Part of the hour: %s.", names(p, c.Part))
	}
	switch m := c.Minutes(); {
	case m > 60:
		fmt.Fprintf(&t, " Clocks go back: this hour lasts %d minutes.", m)
	case m < 60:
		fmt.Fprintf(&t, " Clocks go forward: this hour lasts %d minutes.", m)
	}
	return t.String()
}

func names(p *service.OverlapPicture, members []int) string {
	var out []string
	for _, m := range members[:min(len(members), maxNamed)] {
		out = append(out, p.Members[m].Name)
	}
	if more := len(members) - maxNamed; more > 0 {
		out = append(out, fmt.Sprintf("and %d more", more))
	}
	return strings.Join(out, ", ")
}

// writeLegend draws the scale at height y: a swatch per colour level in
// use, numbered with the counts it stands for.
func writeLegend(b *bytes.Buffer, p *service.OverlapPicture, y int) {
	fmt.Fprintf(b, `<g class="legend"><text x="0" y="%d" dominant-baseline="central" fill="#000000">Available</text>`, y+svgCellHeight/2)
	x := svgLabelWidth
	for _, r := range levelRanges(len(p.Members)) {
		label := fmt.Sprint(r.from)
		if r.to > r.from {
			label = fmt.Sprintf("%d–%d", r.from, r.to)
		}
		width := max(svgCellWidth, 8*len(label)+8)
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="#737373" stroke-width="1"/>`, x, y, width, svgCellHeight, blues[r.level])
		fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="middle" dominant-baseline="central" fill="%s">%s</text>`, x+width/2, y+svgCellHeight/2, textColour(r.level), label)
		x += width + 4
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" fill="#000000">Members available for the whole hour; – marks an hour the clocks skip. A cell's title names who.</text></g>`+"\n", svgLabelWidth, y+svgCellHeight+18)
}

// levelRange is the counts from..to that one colour level stands for.
type levelRange struct{ level, from, to int }

func levelRanges(members int) []levelRange {
	var out []levelRange
	for count := 0; count <= members; count++ {
		l := level(count, members)
		if n := len(out); n > 0 && out[n-1].level == l {
			out[n-1].to = count
			continue
		}
		out = append(out, levelRange{l, count, count})
	}
	return out
}
