package generator

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Answers is the raw input of a generation, keyed by answers-file key (see
// Questions). It comes from flags, an answers file and prompts; an empty value
// means "not answered". Answers never hold secrets.
type Answers map[string]string

// MaxAnswersFileSize bounds the answers file read by LoadAnswersFile.
const MaxAnswersFileSize = 64 << 10

// Override returns a copy of a where every non-empty value of top replaces
// the value of a: a.Override(top) gives top precedence.
func (a Answers) Override(top Answers) Answers {
	out := make(Answers, len(a)+len(top))
	for k, v := range a {
		if v != "" {
			out[k] = v
		}
	}
	for k, v := range top {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// CheckKeys reports the first key of a that is not an answer of the table.
func (a Answers) CheckKeys() error {
	for _, k := range sortedKeys(a) {
		if _, ok := QuestionByKey(k); !ok {
			return fmt.Errorf("unknown answer %q; the known answers are %s", k, strings.Join(Keys(), ", "))
		}
	}
	return nil
}

// LoadAnswersFile reads a YAML answers file (at most MaxAnswersFileSize bytes).
func LoadAnswersFile(path string) (Answers, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot open answers file %q (%w); pass an existing YAML file to --answers", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxAnswersFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read answers file %q (%w); pass a readable YAML file to --answers", path, err)
	}
	if len(data) > MaxAnswersFileSize {
		return nil, fmt.Errorf("answers file %q is larger than %d bytes; keep only the answers in it", path, MaxAnswersFileSize)
	}
	a, err := ParseAnswers(data)
	if err != nil {
		return nil, fmt.Errorf("answers file %q: %w", path, err)
	}
	return a, nil
}

// ParseAnswers parses a YAML answers file: one mapping whose keys are answer
// keys and whose values are scalars. Unknown and duplicate keys are errors.
func ParseAnswers(data []byte) (Answers, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("invalid YAML (%v); write one \"key: value\" line per answer", err)
	}
	a := Answers{}
	if doc.Kind == 0 { // empty file
		return a, nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("the document is not a mapping; write one \"key: value\" line per answer")
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("line %d: a key is not a string; write one \"key: value\" line per answer", k.Line)
		}
		if _, ok := QuestionByKey(k.Value); !ok {
			return nil, fmt.Errorf("unknown key %q on line %d; the known keys are %s", k.Value, k.Line, strings.Join(Keys(), ", "))
		}
		if _, dup := a[k.Value]; dup {
			return nil, fmt.Errorf("key %q is set twice (line %d); keep one", k.Value, k.Line)
		}
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			return nil, fmt.Errorf("key %q on line %d must have a single text value; write %s: %s", k.Value, k.Line, k.Value, exampleFor(k.Value))
		}
		a[k.Value] = v.Value
	}
	return a, nil
}

func exampleFor(key string) string {
	q, _ := QuestionByKey(key)
	if q.Example != "" {
		return q.Example
	}
	return q.Default(nil)
}

// MissingAnswersError reports required answers that no flag, answers file or
// prompt supplied.
type MissingAnswersError struct {
	// Keys are the missing answers-file keys, in table order.
	Keys []string
}

// Error lists the missing answers and the flags that supply them, in one sentence.
func (e *MissingAnswersError) Error() string {
	flags := make([]string, 0, len(e.Keys))
	for _, k := range e.Keys {
		q, ok := QuestionByKey(k)
		if !ok {
			q = Question{Key: k, Flag: k}
		}
		f := "--" + q.Flag
		if q.Example != "" {
			f += " (e.g. --" + q.Flag + " " + q.Example + ")"
		}
		flags = append(flags, f)
	}
	if len(e.Keys) == 1 {
		return fmt.Sprintf("missing required answer: %s; pass %s or set %s in the --answers file",
			e.Keys[0], flags[0], e.Keys[0])
	}
	return fmt.Sprintf("missing required answers: %s; pass %s or set them in the --answers file",
		strings.Join(e.Keys, ", "), strings.Join(flags, " and "))
}
