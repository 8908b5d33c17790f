package prompt

import "fmt"

// Headless never prompts: optional questions keep their defaults (it answers
// ""), required ones without a default fail with ErrUnanswered so the caller
// can list every missing answer with the flags that supply it.
type Headless struct{}

// Ask answers "" or fails with ErrUnanswered for a required question.
func (Headless) Ask(q Question) (string, error) {
	if q.Required && q.Default == "" {
		return "", fmt.Errorf("%s: %w", q.Key, ErrUnanswered)
	}
	return "", nil
}

// Password fails with ErrUnanswered: without a terminal nobody can type
// it, and the caller names the non-interactive ways to give it.
func (Headless) Password(q Question) (string, error) {
	return "", fmt.Errorf("%s: %w", q.Key, ErrUnanswered)
}
