package generator

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
)

func TestAnswersSchema(t *testing.T) {
	data, err := AnswersSchema()
	if err != nil {
		t.Fatalf("AnswersSchema: %v", err)
	}
	var schema struct {
		Schema               string   `json:"$schema"`
		Type                 string   `json:"type"`
		Required             []string `json:"required"`
		AdditionalProperties *bool    `json:"additionalProperties"`
		Properties           map[string]struct {
			Type    string   `json:"type"`
			Enum    []string `json:"enum"`
			Default string   `json:"default"`
			Pattern string   `json:"pattern"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatalf("schema is not valid JSON: %v\n%s", err, data)
	}
	if schema.Schema != "https://json-schema.org/draft/2020-12/schema" || schema.Type != "object" {
		t.Errorf("$schema = %q, type = %q", schema.Schema, schema.Type)
	}
	if !slices.Equal(schema.Required, []string{KeyModule}) {
		t.Errorf("required = %q", schema.Required)
	}
	if schema.AdditionalProperties == nil || *schema.AdditionalProperties {
		t.Error("additionalProperties must be false: unknown keys are errors")
	}
	for _, q := range Questions() {
		p, ok := schema.Properties[q.Key]
		if !ok {
			t.Errorf("property %s missing", q.Key)
			continue
		}
		if q.Kind == KindEnum && (!slices.Equal(p.Enum, q.Values()) || p.Default != q.Default(nil)) {
			t.Errorf("property %s enum = %q default %q", q.Key, p.Enum, p.Default)
		}
	}
	if schema.Properties[KeyName].Pattern != namePattern {
		t.Errorf("name pattern = %q", schema.Properties[KeyName].Pattern)
	}
	// Properties keep the table order.
	last := -1
	for _, k := range Keys() {
		i := bytes.Index(data, []byte(`"`+k+`": {`))
		if i < last {
			t.Errorf("property %s out of table order", k)
		}
		last = i
	}
	again, _ := AnswersSchema()
	if !bytes.Equal(data, again) {
		t.Error("schema differs between calls")
	}
}
