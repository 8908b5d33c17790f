// Command rounds plans the home visits of a nursing practice.
package main

import (
	"log"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/logger"
)

func main() {
	app := fiber.New(fiber.Config{CaseSensitive: true})
	app.Use(logger.New())
	routes(app, newPlanner())

	log.Fatal(app.Listen(":8080"))
}
