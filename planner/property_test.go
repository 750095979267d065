package planner

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

// The fast paths against the plain references of reference_test.go, on
// random teams.

func TestHeatMapMatchesPlainSweep(t *testing.T) {
	for _, tc := range randomCases(t, 200) {
		t.Run(tc.name, func(t *testing.T) {
			heat, err := Overlap(context.Background(), tc.team, tc.from, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			var got []plainSegment
			for i, ids := range heat.Available() {
				s := heat.Segments[i]
				if s.Count != len(ids) {
					t.Errorf("segment %d counts %d of %d available", i, s.Count, len(ids))
				}
				got = append(got, plainSegment{span{s.Start.Unix(), s.End.Unix()}, strings.Join(ids, " ")})
			}
			if want := plainHeatMap(tc.team, tc.from.Unix(), tc.to.Unix()); !reflect.DeepEqual(got, want) {
				t.Errorf("heat map differs from the plain sweep:\n%s", firstDifference(got, want))
			}
		})
	}
}

func TestProposalsMatchPlainMeasure(t *testing.T) {
	for _, tc := range randomCases(t, 200) {
		t.Run(tc.name, func(t *testing.T) {
			plan, err := Plan(context.Background(), tc.team, tc.from, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			checkPlan(t, tc.team, plan)
			for _, p := range plan.Proposals {
				occurrences, score, burden := plainMeasure(tc.team, p.CoreHours(), tc.from, tc.to)
				if !reflect.DeepEqual(p.Occurrences, occurrences) {
					t.Errorf("proposal %d occurrences differ from the plain measure:\n%s", p.Rank, firstDifference(p.Occurrences, occurrences))
				}
				if !reflect.DeepEqual(p.Score, score) {
					t.Errorf("proposal %d score %+v, plain %+v", p.Rank, p.Score, score)
				}
				if !reflect.DeepEqual(p.Burden, burden) {
					t.Errorf("proposal %d burden differs from the plain measure:\n%s", p.Rank, firstDifference(p.Burden, burden))
				}
				if want := plainFairness(burden); p.Fairness != want {
					t.Errorf("proposal %d fairness %+v, plain %+v", p.Rank, p.Fairness, want)
				}
			}
		})
	}
}

// TestCoreOccurrencesMatchPlainMeasure adopts a random rotation of one to
// three weeks, windows anywhere in the day.
func TestCoreOccurrencesMatchPlainMeasure(t *testing.T) {
	for i, tc := range randomCases(t, 200) {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.team.Policy
			core := CoreHours{CycleWeeks: 1 + i%3}
			length := p.MinSlotMinutes / gridMinutes
			for week := range core.CycleWeeks {
				core.Windows = append(core.Windows, dailyWindows(p, week, (i*37+week*41)%(quarters-length+1), length)...)
			}
			got, err := CoreOccurrences(context.Background(), tc.team, core, tc.from, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			want, _, _ := plainMeasure(tc.team, core, tc.from, tc.to)
			if want == nil {
				want = []Occurrence{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("occurrences differ from the plain measure:\n%s", firstDifference(got, want))
			}
		})
	}
}

func TestRotationMatchesBruteForce(t *testing.T) {
	for i, tc := range randomCases(t, 200) {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.team.Policy
			length := p.MinSlotMinutes/gridMinutes + i%(p.MaxCoreMinutesPerDay/gridMinutes-p.MinSlotMinutes/gridMinutes+1)
			period := span{tc.from.Unix(), tc.to.Unix()}
			horizon := weeksAround(tc.team.Location, rotationWeeks, period)
			timelines, err := buildTimelines(context.Background(), tc.team, period, horizon.span)
			if err != nil {
				t.Fatal(err)
			}
			even, odd, ok, err := fairestRotation(context.Background(), tc.team, timelines, horizon.span, length)
			if err != nil {
				t.Fatal(err)
			}
			wantEven, wantOdd, wantOK := plainRotation(tc.team, length, tc.from, tc.to)
			if even != wantEven || odd != wantOdd || ok != wantOK {
				t.Errorf("rotation of %d quarters: starts %d/%d (%v), brute force %d/%d (%v)", length, even, odd, ok, wantEven, wantOdd, wantOK)
			}
		})
	}
}

// plainFairness is the largest burden (first member with it) and the
// standard deviation, straight from the definition.
func plainFairness(burden []MemberBurden) Fairness {
	var f Fairness
	var mean float64
	for _, b := range burden {
		if b.InconvenientMinutes > f.MaxMinutes {
			f.MaxMinutes, f.MaxMember = b.InconvenientMinutes, b.Member
		}
		mean += float64(b.InconvenientMinutes) / float64(len(burden))
	}
	var squares float64
	for _, b := range burden {
		d := float64(b.InconvenientMinutes) - mean
		squares += d * d
	}
	if len(burden) > 0 {
		f.StdDevMinutes = round2(math.Sqrt(squares / float64(len(burden))))
	}
	return f
}

// firstDifference shows where two lists first part.
func firstDifference[T any](got, want []T) string {
	for i := range max(len(got), len(want)) {
		if i >= len(got) || i >= len(want) || !reflect.DeepEqual(got[i], want[i]) {
			var g, w any = "(none)", "(none)"
			if i < len(got) {
				g = got[i]
			}
			if i < len(want) {
				w = want[i]
			}
			return fmt.Sprintf("at %d of %d/%d:\n got  %+v\n want %+v", i, len(got), len(want), g, w)
		}
	}
	return "lists are equal"
}
