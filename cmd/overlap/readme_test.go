package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestREADMEExampleSession runs the README's example session as a new user
// would paste it — every shell block of the section, in order, in a fresh
// copy of the repository — against the real server it starts. The only
// change is the port, so that the test does not need 8080 free. It fails
// when a command of the README fails or its answers drift.
func TestREADMEExampleSession(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "jq", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the README's example session needs %s (e.g. apt-get install %s)", tool, tool)
		}
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	script := exampleSession(t, string(readme))
	port := freePort(t)
	script = strings.ReplaceAll(script, "127.0.0.1:8080", "127.0.0.1:"+port)

	work := copyRepository(t, root)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "OVERLAP_ADDR=127.0.0.1:"+port)
	cmd.Env = slicesWithout(cmd.Env, "DATABASE_URL=")
	// Its own process group, so the server it starts cannot outlive the test.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(work, "serve.log"))
		t.Fatalf("the example session failed: %v\nstdout:\n%s\nstderr:\n%s\nserve.log:\n%s", err, stdout.String(), stderr.String(), log)
	}
	for _, want := range []string{`"instances_next_28_days"`, `"windows"`, `"attendees"`, `"field": "timezone"`,
		`"one-on-one"`, "member,name,timezone,meetings_attended", `"local_start": "2027-01-12T17:45:00+05:45"`} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("the session's output lacks %s:\n%s", want, stdout.String())
		}
	}
}

// exampleSession joins the ```sh blocks of the "Example session" section.
func exampleSession(t *testing.T, readme string) string {
	t.Helper()
	_, section, found := strings.Cut(readme, "\n## Example session\n")
	if !found {
		t.Fatal("README.md has no \"## Example session\" section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var blocks []string
	for {
		_, rest, ok := strings.Cut(section, "```sh\n")
		if !ok {
			break
		}
		block, after, _ := strings.Cut(rest, "```")
		blocks, section = append(blocks, block), after
	}
	if len(blocks) == 0 {
		t.Fatal("the example session has no sh blocks")
	}
	return strings.Join(blocks, "\n")
}

// copyRepository copies the files git knows (tracked or not ignored) to a
// temporary folder: the session builds there and writes its database and
// log there, never into the working tree.
func copyRepository(t *testing.T, root string) string {
	t.Helper()
	out, err := exec.Command("git", "-C", root, "ls-files", "--cached", "--others", "--exclude-standard", "-z").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	work := t.TempDir()
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(root, name))
		if os.IsNotExist(err) {
			continue // deleted in the working tree
		}
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(work, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return work
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

// slicesWithout drops the variables starting with prefix from env.
func slicesWithout(env []string, prefix string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, prefix) {
			out = append(out, kv)
		}
	}
	return out
}
