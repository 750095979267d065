package planner

import "time"

// HourRow is one date of an hour grid: its 24 wall-clock hours.
type HourRow struct {
	Date  Date
	Cells []HourCell
}

// HourCell is one wall-clock hour of a date in the grid's zone and who is
// available in it.
type HourCell struct {
	Hour int
	// Start and End are the instants the hour runs between, by the rules
	// of DESIGN.md: an hour that clocks skip is empty (End == Start), and
	// an hour that clocks repeat runs until the next hour begins, so it
	// is longer than an hour.
	Start, End time.Time
	// InRange is false for an hour wholly outside the range of the heat
	// map, of which nothing is known.
	InRange bool
	// Full are the members available throughout the part of the hour in
	// the range, Part those available for some of it but not all; both
	// index HeatMap.Members, ascending.
	Full, Part []int
}

// Minutes is how long the hour runs in real time.
func (c HourCell) Minutes() int { return int(c.End.Sub(c.Start) / time.Minute) }

// HourGrid lays a heat map of [from, to) out on the hours of loc's
// dates, one row per date the range touches, so that a person reads it
// as a calendar week in their own zone. Hours in 30- and 45-minute zones
// are that zone's wall-clock hours.
func HourGrid(h HeatMap, loc *time.Location, from, to time.Time) []HourRow {
	if !to.After(from) {
		return nil
	}
	lo, hi := from.Unix(), to.Unix()
	first, last := DateOf(from.In(loc)), DateOf(to.Add(-time.Second).In(loc))
	var rows []HourRow
	var cells []*HourCell
	for d := first; !last.Before(d); d = d.AddDays(1) {
		row := HourRow{Date: d, Cells: make([]HourCell, 24)}
		for hour := range row.Cells {
			start, end := wallToUnix(d, hour*60, loc), wallToUnix(d, (hour+1)*60, loc)
			c := &row.Cells[hour]
			c.Hour = hour
			c.Start, c.End = span{start, end}.times()
			c.InRange = start < hi && end > lo && end > start
			c.Full, c.Part = []int{}, []int{}
		}
		rows = append(rows, row)
	}
	for r := range rows {
		for c := range rows[r].Cells {
			cells = append(cells, &rows[r].Cells[c])
		}
	}
	for m, free := range memberSpans(h) {
		fileMember(cells, m, free, lo, hi)
	}
	return rows
}

// fileMember adds member m to the cells it is available in, throughout or
// in part, given its available spans in time order.
func fileMember(cells []*HourCell, m int, free []span, lo, hi int64) {
	next := 0
	for _, c := range cells {
		if !c.InRange {
			continue
		}
		in := span{max(c.Start.Unix(), lo), min(c.End.Unix(), hi)}
		for next < len(free) && free[next].end <= in.start {
			next++
		}
		var covered int64
		for _, s := range free[next:] {
			if s.start >= in.end {
				break
			}
			covered += min(s.end, in.end) - max(s.start, in.start)
		}
		switch {
		case covered == in.end-in.start:
			c.Full = append(c.Full, m)
		case covered > 0:
			c.Part = append(c.Part, m)
		}
	}
}

// memberSpans turns the heat map's changes back into each member's
// available spans, in time order.
func memberSpans(h HeatMap) [][]span {
	out := make([][]span, len(h.Members))
	since := make([]int64, len(h.Members))
	available := make([]bool, len(h.Members))
	for _, s := range h.Segments {
		at := s.Start.Unix()
		for _, m := range s.Left {
			out[m] = append(out[m], span{since[m], at})
			available[m] = false
		}
		for _, m := range s.Joined {
			since[m], available[m] = at, true
		}
	}
	if n := len(h.Segments); n > 0 {
		end := h.Segments[n-1].End.Unix()
		for m, ok := range available {
			if ok {
				out[m] = append(out[m], span{since[m], end})
			}
		}
	}
	return out
}
