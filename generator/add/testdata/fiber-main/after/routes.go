package main

import (
	"sync"

	"github.com/gofiber/fiber/v3"
)

// visit is one planned home visit.
type visit struct {
	Patient string `json:"patient"`
	Day     string `json:"day"`
}

// planner keeps the visits in memory.
type planner struct {
	mu     sync.Mutex
	visits []visit
}

func newPlanner() *planner { return &planner{} }

// routes registers the service's routes on app.
func routes(app *fiber.App, p *planner) {
	app.Get("/healthz", func(c fiber.Ctx) error { return c.SendString("ok") })
	app.Get("/visits", func(c fiber.Ctx) error {
		p.mu.Lock()
		defer p.mu.Unlock()
		return c.JSON(p.visits)
	})
	app.Post("/visits", func(c fiber.Ctx) error {
		var v visit
		if err := c.Bind().JSON(&v); err != nil || v.Patient == "" {
			return c.Status(fiber.StatusBadRequest).SendString("invalid visit")
		}
		p.mu.Lock()
		p.visits = append(p.visits, v)
		p.mu.Unlock()
		return c.SendStatus(fiber.StatusCreated)
	})
}
