package prompt

import "fmt"

// Scripted answers from a fixed table, for tests. An empty scripted answer
// takes the question's default, like pressing Enter. Every answer goes
// through q.Validate, as with a real prompt.
type Scripted struct {
	// Answers maps question keys to the text "typed" by the user.
	Answers map[string]string
	// Asked records the keys asked, in order.
	Asked []string
}

// Ask returns the scripted answer for q.Key.
func (s *Scripted) Ask(q Question) (string, error) {
	s.Asked = append(s.Asked, q.Key)
	v, ok := s.Answers[q.Key]
	if !ok {
		return "", fmt.Errorf("scripted prompter has no answer for %s: %w", q.Key, ErrUnanswered)
	}
	if v == "" {
		v = q.Default
	}
	if v == "" && q.Required {
		return "", fmt.Errorf("%s: %w", q.Key, ErrUnanswered)
	}
	if v != "" && q.Validate != nil {
		if err := q.Validate(v); err != nil {
			return "", err
		}
	}
	return v, nil
}

// Password returns the scripted answer for q.Key as typed, empty included.
func (s *Scripted) Password(q Question) (string, error) {
	s.Asked = append(s.Asked, q.Key)
	v, ok := s.Answers[q.Key]
	if !ok {
		return "", fmt.Errorf("scripted prompter has no password for %s: %w", q.Key, ErrUnanswered)
	}
	return v, nil
}
