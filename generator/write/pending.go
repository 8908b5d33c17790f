package write

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/pscinit/psc-init/generator"
)

// The commands that write journals, as recorded in them.
const (
	commandUpgrade = "upgrade"
	commandAdd     = "add"
)

// Pending is a change ApplyPending put in place whose journal still says to
// undo it: until Keep, a crash (the next Recover) or Undo puts the previous
// files back. It lets `psc-init add` check the repository (go build, vet,
// test) with the change in place, all or nothing even across a kill.
type Pending struct {
	j      journal
	result ApplyResult
	closed bool
}

// ApplyPending is Apply for `psc-init add`: files are written and removed
// exactly as Apply does, all or nothing, but the change stays pending until
// Keep or Undo is called, and Recover undoes a pending change whose process
// died. Only one of Keep and Undo may be called, once.
func ApplyPending(ctx context.Context, dir string, files generator.Files, remove []string) (*Pending, error) {
	return applyPending(dir, files, remove, contextHooks(ctx, dir, Options{}))
}

func applyPending(dir string, files generator.Files, remove []string, h hooks) (*Pending, error) {
	res, j, err := applyJournaled(dir, files, remove, h, journal{Command: commandAdd, Held: true})
	if err != nil {
		return nil, err
	}
	return &Pending{j: j, result: res}, nil
}

// Result says which files the pending change created, replaced or removed.
func (p *Pending) Result() ApplyResult { return p.result }

// Keep makes the change final: the journal is rewritten to say so before
// the copies of the previous files are deleted, so that a crash in between
// keeps the change rather than half-undoing it. If that record cannot be
// written, the change is undone and the error says so.
func (p *Pending) Keep() error {
	root, err := p.open()
	if err != nil || len(p.j.Steps) == 0 {
		return err
	}
	defer root.Close()
	final := p.j
	final.Held = false
	if err := writeJournal(root, final); err != nil {
		if rerr := restore(root, p.j); rerr != nil {
			return fmt.Errorf("cannot record that the change is final (%w) nor put the previous files back (%v); run psc-init add again to recover, or restore them from version control", err, rerr)
		}
		return fmt.Errorf("cannot record that the change is final (%w); the previous files are back, fix the cause and run psc-init add again", err)
	}
	if err := finish(root, final); err != nil {
		return fmt.Errorf("the change is in place but temporary files remain (%w); delete the .psc-init-old-* files and %s", err, JournalPath)
	}
	return nil
}

// Undo puts every previous file back and removes the created files and
// directories, then the journal.
func (p *Pending) Undo() error {
	root, err := p.open()
	if err != nil || len(p.j.Steps) == 0 {
		return err
	}
	defer root.Close()
	if err := restore(root, p.j); err != nil {
		return fmt.Errorf("cannot put the previous files back (%w); run psc-init add again to retry, or restore them from version control", err)
	}
	return nil
}

// open marks p as used up and opens its directory.
func (p *Pending) open() (*os.Root, error) {
	if p.closed {
		return nil, errors.New("the pending change was already kept or undone; this is a psc-init bug, please report it")
	}
	p.closed = true
	if len(p.j.Steps) == 0 {
		return nil, nil
	}
	root, err := os.OpenRoot(p.result.Dir)
	if err != nil {
		return nil, fmt.Errorf("cannot open %s (%w); %s there records how to finish the change, run psc-init add again", p.result.Dir, err, JournalPath)
	}
	return root, nil
}

// RecoverReport is Recover followed by the one sentence that tells the user
// what it did, naming the command that was interrupted ("" when there was
// nothing to recover).
func RecoverReport(dir string) (string, error) {
	j, recovered, kept, err := recoverJournal(dir)
	if err != nil || !recovered {
		return "", err
	}
	return recoverySentence(j, kept), nil
}

// recoverySentence says what Recover did with the change head describes.
func recoverySentence(head journal, kept bool) string {
	switch {
	case head.Command == commandAdd && kept:
		return "An interrupted psc-init add had passed its checks; finished it."
	case head.Command == commandAdd:
		return "An interrupted psc-init add was undone; the previous files are back."
	case kept:
		return "An interrupted upgrade had written every file; finished it."
	default:
		return "An interrupted upgrade was undone; the previous files are back."
	}
}
