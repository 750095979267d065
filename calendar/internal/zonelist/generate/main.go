// Command generate writes the calendar package's list of IANA zones from a
// tz database zip; go generate in the calendar package runs it on Go's own.
package main

import (
	"flag"
	"log"
	"os"

	"overlap/calendar/internal/zonelist"
)

func main() {
	zipPath := flag.String("zip", "", "the tz database zip, e.g. $GOROOT/lib/time/zoneinfo.zip")
	out := flag.String("o", "", "the Go file to write")
	flag.Parse()
	if *zipPath == "" || *out == "" {
		log.Fatal("usage: generate -zip ZONEINFO.zip -o FILE.go")
	}
	names, err := zonelist.Zones(*zipPath)
	if err != nil {
		log.Fatal(err)
	}
	src, err := zonelist.Source(names)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}
