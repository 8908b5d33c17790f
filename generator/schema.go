package generator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// SchemaID identifies the answers-file schema.
const SchemaID = "https://github.com/pscinit/psc-init/schema/answers.json"

// AnswersSchema returns the JSON Schema (draft 2020-12) of the answers file,
// derived from Questions. Keys keep the table order, so the output is stable.
func AnswersSchema() ([]byte, error) {
	props := orderedObject{}
	var required []string
	for _, q := range Questions() {
		p := orderedObject{{"type", "string"}}
		desc := q.Help
		switch q.Kind {
		case KindEnum:
			p = append(p, kv{"enum", q.Values()})
			var lines []string
			for _, c := range q.Choices {
				line := c.Value + ": " + c.Help
				if !c.Available {
					line += " (not available yet in psc-init " + Version + ")"
				}
				lines = append(lines, line)
			}
			desc += ". " + strings.Join(lines, "; ") + "."
		default:
			p = append(p, kv{"minLength", 1})
		}
		if q.Pattern != "" {
			p = append(p, kv{"pattern", q.Pattern})
		}
		p = append(p, kv{"description", desc + " (flag --" + q.Flag + ")"})
		if def := q.Default(nil); def != "" {
			p = append(p, kv{"default", def})
		}
		if q.Example != "" {
			p = append(p, kv{"examples", []string{q.Example}})
		}
		props = append(props, kv{q.Key, p})
		if q.Required {
			required = append(required, q.Key)
		}
	}
	schema := orderedObject{
		{"$schema", "https://json-schema.org/draft/2020-12/schema"},
		{"$id", SchemaID},
		{"title", "psc-init answers file"},
		{"description", "Answers of `psc-init new --answers FILE` (YAML). Flags take precedence over this file. Secrets are never answers."},
		{"type", "object"},
		{"properties", props},
		{"required", required},
		{"additionalProperties", false},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(schema); err != nil {
		return nil, fmt.Errorf("encode answers schema: %w", err)
	}
	return buf.Bytes(), nil
}

// kv is one member of an orderedObject.
type kv struct {
	key   string
	value any
}

// orderedObject is a JSON object that keeps its members in order.
type orderedObject []kv

// MarshalJSON encodes the members in order.
func (o orderedObject) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, err := json.Marshal(m.key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(m.value)
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", m.key, err)
		}
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
