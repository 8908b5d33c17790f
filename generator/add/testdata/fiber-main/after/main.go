// Command rounds plans the home visits of a nursing practice.
package main

import (
	"fmt"
	"log"
	"os"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/logger"

	"example.com/nursing/rounds/internal/pscweb"
)

func main() {
	app := fiber.New(fiber.Config{CaseSensitive: true})
	if err := pscweb.Mount(app, pscweb.Options{}); err != nil {
		fmt.Fprintf(os.Stderr, "mount Pro Santé Connect login: %v\n", err)
		os.Exit(1)
	}
	app.Use(logger.New())
	routes(app, newPlanner())

	log.Fatal(app.Listen(":8080"))
}
