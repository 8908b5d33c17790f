package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pscinit/psc-init/generator/write"
)

// recoverJournal finishes or undoes a psc-init add or upgrade that was killed
// half-way in dir, or while add checked its changes (write.RecoverReport),
// before anything reads dir, and says what it did. A run that writes nothing
// (readOnly: --check, --dry-run) only refuses to read a half-applied tree,
// naming retry, the command that recovers it.
func recoverJournal(dir string, readOnly bool, retry string, out io.Writer) error {
	if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(write.JournalPath))); err != nil {
		return nil // no journal (or no directory: the caller says so)
	}
	if readOnly {
		return fmt.Errorf("an interrupted psc-init run left %s in %s; run %s to finish or undo it first", write.JournalPath, dir, retry)
	}
	msg, err := write.RecoverReport(dir)
	if err != nil {
		return err
	}
	if msg != "" {
		fmt.Fprintln(out, msg)
	}
	return nil
}
