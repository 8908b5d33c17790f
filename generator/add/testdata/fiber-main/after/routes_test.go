package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v3"
)

func TestVisits(t *testing.T) {
	app := fiber.New()
	routes(app, newPlanner())
	req := httptest.NewRequest(http.MethodPost, "/visits", strings.NewReader(`{"patient":"P1","day":"lundi"}`))
	req.Header.Set("Content-Type", "application/json")
	res, err := app.Test(req)
	if err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("create: %v %v", res, err)
	}
	res, err = app.Test(httptest.NewRequest(http.MethodGet, "/visits", nil))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	if !strings.Contains(string(body), `"patient":"P1"`) {
		t.Fatalf("list: %s", body)
	}
}
