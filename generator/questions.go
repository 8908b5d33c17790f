package generator

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"golang.org/x/mod/module"
)

// Kind says how the value of an answer is typed.
type Kind int

const (
	// KindString is a free-form string checked by Question.Validate.
	KindString Kind = iota
	// KindEnum is one of Question.Choices.
	KindEnum
)

// Choice is one known value of an enum answer.
type Choice struct {
	// Value is the value as written in flags, answers files and the manifest.
	Value string
	// Help is a one-line description shown in --help, completions, prompts and the schema.
	Help string
	// Available is false for values this psc-init version knows (schema,
	// completion, help) but cannot generate yet: validation refuses them.
	// Flipping it to true is the one change needed to deliver a value.
	Available bool
}

// Question declares one answer. The table returned by Questions is the only
// declaration of the answers: flags, prompts, answers-file keys, --help,
// completions and the JSON Schema are all derived from it.
type Question struct {
	// Key is the key in the answers file and in the manifest.
	Key string
	// Flag is the long flag of `psc-init new` that gives this answer, without dashes.
	Flag string
	// Kind says whether the answer is a free string or one of Choices.
	Kind Kind
	// Choices lists the known values of an enum answer, in display order.
	Choices []Choice
	// Help is a one-line description of the answer.
	Help string
	// Message is the question asked by the interactive prompt.
	Message string
	// Example is a valid value used in error messages and in the schema.
	Example string
	// Required answers have no default: a headless run without them fails.
	Required bool
	// Pattern is the regular expression a string answer must match, if any;
	// it is published in the schema and enforced by Validate.
	Pattern string
	// Secret is always false: secrets are never answers. The answers and the
	// manifest hold only the names of the environment variables carrying them.
	Secret bool
	// DefaultFunc returns the default given the answers so far ("" when there
	// is none). Nil means no default.
	DefaultFunc func(Answers) string
	// Validate checks a non-empty string answer and returns a one-sentence
	// error ("what is wrong; how to fix it"). Enum answers are checked against
	// Choices by Check instead.
	Validate func(string) error
	// When reports whether the question applies given the answers so far.
	// Nil means always.
	When func(Answers) bool
}

// Answer keys, in the order of the table.
const (
	KeyModule      = "module"
	KeyName        = "name"
	KeyFramework   = "framework"
	KeySession     = "session"
	KeyClientAuth  = "client_auth"
	KeyEnvironment = "environment"
	KeyTLS         = "tls"
)

// namePattern is the shape of a service name: it becomes a directory-like
// identifier, a log attribute and a default SERVICE_NAME.
const namePattern = `^[a-z][a-z0-9-]{0,62}$`

// Questions returns the declaration of every answer, in the order they are
// asked, listed and recorded. Each call returns a fresh table.
func Questions() []Question {
	return []Question{
		{
			Key:      KeyModule,
			Flag:     "module",
			Kind:     KindString,
			Help:     "Go module path of the generated service",
			Message:  "Go module path of the new service",
			Example:  "example.com/team/service",
			Required: true,
			Validate: validateModule,
		},
		{
			Key:         KeyName,
			Flag:        "name",
			Kind:        KindString,
			Help:        "service name (default: last element of the module path)",
			Message:     "Service name",
			Example:     "patient-portal",
			Pattern:     namePattern,
			DefaultFunc: defaultName,
			Validate:    validateName,
		},
		{
			Key:     KeyFramework,
			Flag:    "framework",
			Kind:    KindEnum,
			Help:    "web framework of the generated service",
			Message: "Web framework",
			Choices: []Choice{
				{Value: string(FrameworkNetHTTP), Help: "Go standard library net/http routing", Available: true},
				{Value: string(FrameworkGin), Help: "github.com/gin-gonic/gin v1.12", Available: true},
				{Value: string(FrameworkEcho), Help: "github.com/labstack/echo/v5", Available: true},
				{Value: string(FrameworkFiber), Help: "github.com/gofiber/fiber/v3 (fasthttp)", Available: true},
			},
		},
		{
			Key:     KeySession,
			Flag:    "session",
			Kind:    KindEnum,
			Help:    "server-side session store",
			Message: "Session store",
			Choices: []Choice{
				{Value: string(SessionMemory), Help: "in process memory (one instance, sessions lost on restart)", Available: true},
				{Value: string(SessionSQLite), Help: "SQLite database file", Available: true},
				{Value: string(SessionRedis), Help: "Redis server", Available: true},
				{Value: string(SessionPostgres), Help: "PostgreSQL database", Available: true},
			},
		},
		{
			Key:     KeyClientAuth,
			Flag:    "client-auth",
			Kind:    KindEnum,
			Help:    "how the service authenticates to PSC's token endpoint",
			Message: "Client authentication",
			Choices: []Choice{
				{Value: string(ClientAuthSecret), Help: "client secret (client_secret_basic), read from PSC_CLIENT_SECRET or PSC_CLIENT_SECRET_FILE", Available: true},
				{Value: string(ClientAuthMTLS), Help: "mutual TLS (tls_client_auth) with the service's IGC-Santé certificate, from PSC_CLIENT_CERT_P12 or PSC_CLIENT_CERT_FILE and PSC_CLIENT_KEY_FILE", Available: true},
			},
		},
		{
			Key:     KeyEnvironment,
			Flag:    "env",
			Kind:    KindEnum,
			Help:    "PSC environment whose issuer is the configured default",
			Message: "PSC environment",
			Choices: []Choice{
				{Value: string(EnvironmentBAS), Help: "PSC sandbox (bac à sable)", Available: true},
				{Value: string(EnvironmentProd), Help: "PSC production", Available: true},
			},
		},
		{
			Key:     KeyTLS,
			Flag:    "tls",
			Kind:    KindEnum,
			Help:    "who terminates TLS for the service's own HTTPS",
			Message: "Server TLS",
			Choices: []Choice{
				{Value: string(TLSProxy), Help: "a reverse proxy in front terminates TLS; the service listens on plain HTTP", Available: true},
				{Value: string(TLSDirect), Help: "the service terminates TLS itself, from TLS_CERT_FILE and TLS_KEY_FILE or TLS_P12_FILE", Available: true},
			},
		},
	}
}

// QuestionByKey returns the question with the given answers-file key.
func QuestionByKey(key string) (Question, bool) {
	for _, q := range Questions() {
		if q.Key == key {
			return q, true
		}
	}
	return Question{}, false
}

// Keys returns the answers-file keys in table order.
func Keys() []string {
	qs := Questions()
	keys := make([]string, len(qs))
	for i, q := range qs {
		keys[i] = q.Key
	}
	return keys
}

// Default returns the default value of q given the answers so far, or "".
// An enum's default is its first choice.
func (q Question) Default(a Answers) string {
	if q.DefaultFunc != nil {
		return q.DefaultFunc(a)
	}
	if q.Kind == KindEnum && len(q.Choices) > 0 {
		return q.Choices[0].Value
	}
	return ""
}

// Applies reports whether q is asked given the answers so far.
func (q Question) Applies(a Answers) bool {
	return q.When == nil || q.When(a)
}

// Values returns the known values of an enum question, in display order.
func (q Question) Values() []string {
	vs := make([]string, len(q.Choices))
	for i, c := range q.Choices {
		vs[i] = c.Value
	}
	return vs
}

// AvailableValues returns the values this version can generate.
func (q Question) AvailableValues() []string {
	var vs []string
	for _, c := range q.Choices {
		if c.Available {
			vs = append(vs, c.Value)
		}
	}
	return vs
}

// CheckKnown checks that v is a well-formed value for q: one of the known
// choices of an enum (available or not), or any string otherwise.
func (q Question) CheckKnown(v string) error {
	if q.Kind != KindEnum {
		return nil
	}
	for _, c := range q.Choices {
		if c.Value == v {
			return nil
		}
	}
	return fmt.Errorf("%s %q is not a known %s; use one of %s", q.Key, v, q.Key, strings.Join(q.Values(), ", "))
}

// Check validates a non-empty value of q: flags, answers files and prompts all
// go through it, so an answer is accepted or refused the same way everywhere.
func (q Question) Check(v string) error {
	if err := q.CheckKnown(v); err != nil {
		return err
	}
	if q.Kind == KindEnum {
		for _, c := range q.Choices {
			if c.Value == v && !c.Available {
				return fmt.Errorf("%s %q is not available yet in this psc-init version; use %s",
					q.Key, v, flagAlternatives(q.Flag, q.AvailableValues()))
			}
		}
	}
	if q.Validate != nil {
		return q.Validate(v)
	}
	return nil
}

// flagAlternatives renders "--flag a" or "--flag a or --flag b".
func flagAlternatives(flag string, values []string) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = "--" + flag + " " + v
	}
	return strings.Join(parts, " or ")
}

func validateModule(v string) error {
	if err := module.CheckPath(v); err != nil {
		return fmt.Errorf("module path %q is not a valid Go module path (%v); pass a path such as --module example.com/team/service", v, unwrapPathError(err))
	}
	return nil
}

// unwrapPathError drops the "malformed module path ..." prefix that would
// repeat the path already quoted in the message.
func unwrapPathError(err error) error {
	if pe, ok := err.(*module.InvalidPathError); ok && pe.Err != nil {
		return pe.Err
	}
	return err
}

var nameRE = regexp.MustCompile(namePattern)

func validateName(v string) error {
	if !nameRE.MatchString(v) {
		return fmt.Errorf("name %q is not a valid service name; use 1 to 63 lowercase letters, digits or dashes starting with a letter, e.g. --name patient-portal", v)
	}
	return nil
}

// defaultName is the last element of the module path, without a major
// version suffix (example.com/team/service/v2 gives "service").
func defaultName(a Answers) string {
	mod := a[KeyModule]
	if mod == "" {
		return ""
	}
	if prefix, _, ok := module.SplitPathVersion(mod); ok && prefix != "" {
		mod = prefix
	}
	return path.Base(mod)
}
