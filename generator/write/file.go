package write

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"syscall"
)

// writeFile writes data to name inside root and syncs it. name must not exist.
func writeFile(root *os.Root, name string, data []byte, mode fs.FileMode) (err error) {
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return fmt.Errorf("cannot create %s (%w); check free space and permissions", name, err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("cannot write %s (%w); check free space", name, cerr)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("cannot write %s (%w); check free space", name, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("cannot sync %s (%w); check the file system", name, err)
	}
	return nil
}

// tempName returns an unused-looking hidden name beside target, with the
// given purpose ("new" or "old") in it so leftovers are recognisable.
func tempName(target, purpose string) string {
	return path.Join(path.Dir(target), "."+path.Base(target)+".psc-init-"+purpose+"-"+rand.Text())
}

// syncDir flushes the directory entry list of dir inside root.
func syncDir(root *os.Root, dir string) error { return syncOpened(dir, root.Open) }

// syncPath flushes the directory entry list of dir.
func syncPath(dir string) error { return syncOpened(dir, os.Open) }

// syncOpened opens dir with open and flushes its entry list.
func syncOpened(dir string, open func(string) (*os.File, error)) error {
	d, err := open(dir)
	if err != nil {
		return fmt.Errorf("cannot open %s to sync it (%w); check the file system", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !syncUnsupported(err) {
		return fmt.Errorf("cannot sync %s (%w); check the file system", dir, err)
	}
	return nil
}

// syncUnsupported reports file systems that cannot sync directories; their
// entries are as durable as they will get.
func syncUnsupported(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP)
}
