package generator

import (
	"fmt"
	"github.com/pscinit/psc-init/referential"
	"maps"
	"slices"
)

// Framework is the web framework of the generated service.
type Framework string

// Known frameworks (see Questions for which ones are available).
const (
	FrameworkNetHTTP Framework = "nethttp"
	FrameworkGin     Framework = "gin"
	FrameworkEcho    Framework = "echo"
	FrameworkFiber   Framework = "fiber"
)

// Session is the server-side session store of the generated service.
type Session string

// Known session stores.
const (
	SessionMemory   Session = "memory"
	SessionSQLite   Session = "sqlite"
	SessionRedis    Session = "redis"
	SessionPostgres Session = "postgres"
)

// ClientAuth is how the generated service authenticates to PSC's token endpoint.
type ClientAuth string

// Known client authentication methods.
const (
	ClientAuthSecret ClientAuth = "secret"
	ClientAuthMTLS   ClientAuth = "mtls"
)

// TLS says who terminates TLS for the generated service's own HTTPS.
type TLS string

// Known server TLS modes.
const (
	TLSProxy  TLS = "proxy"
	TLSDirect TLS = "direct"
)

// Environment selects the PSC issuer written as the configured default.
type Environment string

// Known PSC environments.
const (
	EnvironmentBAS  Environment = "bas"
	EnvironmentProd Environment = "prod"
)

// PSC issuers (realm esante-wallet) of each environment.
const (
	IssuerBAS  = "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet"
	IssuerProd = "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet"
)

// Spec is a validated and defaulted set of answers: everything Generate needs.
type Spec struct {
	// Module is the Go module path, checked with golang.org/x/mod/module.CheckPath.
	Module string
	// Name is the service name (default SERVICE_NAME), matching ^[a-z][a-z0-9-]{0,62}$.
	Name string
	// Framework, Session, ClientAuth and Environment are available enum values.
	Framework   Framework
	Session     Session
	ClientAuth  ClientAuth
	Environment Environment
	// TLS is proxy (plain HTTP behind a TLS-terminating proxy) or direct.
	TLS TLS
	// Catalogue is the requirement catalogue rendered into the service
	// (conformance tests, CONFORMANCE.md): NewSpec sets the one embedded in
	// referential/.
	Catalogue Catalogue
}

// Requirement is one entry of the requirement catalogue.
type Requirement = referential.Requirement

// Catalogue is the versioned requirement catalogue.
type Catalogue = referential.Catalogue

// NewSpec defaults and validates answers. Every answer goes through the same
// Question.Check as flags and prompts; missing required answers are reported
// together in a *MissingAnswersError.
func NewSpec(a Answers) (Spec, error) {
	if err := a.CheckKeys(); err != nil {
		return Spec{}, err
	}
	resolved, err := resolve(a)
	if err != nil {
		return Spec{}, err
	}
	catalogue, err := referential.Load()
	if err != nil {
		return Spec{}, fmt.Errorf("load the requirement catalogue embedded in psc-init: %w", err)
	}
	return Spec{
		Catalogue:   catalogue,
		Module:      resolved[KeyModule],
		Name:        resolved[KeyName],
		Framework:   Framework(resolved[KeyFramework]),
		Session:     Session(resolved[KeySession]),
		ClientAuth:  ClientAuth(resolved[KeyClientAuth]),
		Environment: Environment(resolved[KeyEnvironment]),
		TLS:         TLS(resolved[KeyTLS]),
	}, nil
}

// resolve applies defaults in table order (a default may derive from earlier
// answers) and checks every value.
func resolve(a Answers) (Answers, error) {
	out := Answers{}
	var missing []string
	for _, q := range Questions() {
		if !q.Applies(out) {
			continue
		}
		v, given := a[q.Key], a[q.Key] != ""
		if !given {
			v = q.Default(out)
		}
		if v == "" {
			if q.Required {
				missing = append(missing, q.Key)
			}
			continue
		}
		if err := q.Check(v); err != nil {
			if !given {
				return nil, fmt.Errorf("the %s %q derived from the other answers is not valid; pass --%s, e.g. --%s %s",
					q.Key, v, q.Flag, q.Flag, q.Example)
			}
			return nil, err
		}
		out[q.Key] = v
	}
	if len(missing) > 0 {
		return nil, &MissingAnswersError{Keys: missing}
	}
	return out, nil
}

// Answers returns the complete answers of the spec (defaults included), as
// recorded in the manifest and printed in the equivalent command.
func (s Spec) Answers() Answers {
	return Answers{
		KeyModule:      s.Module,
		KeyName:        s.Name,
		KeyFramework:   string(s.Framework),
		KeySession:     string(s.Session),
		KeyClientAuth:  string(s.ClientAuth),
		KeyEnvironment: string(s.Environment),
		KeyTLS:         string(s.TLS),
	}
}

// Issuer returns the PSC issuer of the spec's environment.
func (s Spec) Issuer() (string, error) {
	switch s.Environment {
	case EnvironmentBAS:
		return IssuerBAS, nil
	case EnvironmentProd:
		return IssuerProd, nil
	}
	return "", fmt.Errorf("environment %q has no known PSC issuer; use --env bas or --env prod", s.Environment)
}

// validate re-checks a Spec built by hand (not by NewSpec), so Generate never
// renders unchecked input.
func (s Spec) validate() error {
	_, err := resolve(s.Answers())
	return err
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
