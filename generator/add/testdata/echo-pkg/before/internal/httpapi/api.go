// Package httpapi is the HTTP API of the laboratory results service.
package httpapi

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"
)

// Config sizes the API.
type Config struct {
	// MaxResults bounds the results listed at once.
	MaxResults int
}

// New builds the API's routes.
func New(cfg Config) (*echo.Echo, error) {
	if cfg.MaxResults <= 0 {
		return nil, fmt.Errorf("MaxResults must be positive, got %d", cfg.MaxResults)
	}
	e := echo.New()
	e.Use(middleware.Recover())

	e.GET("/healthz", func(c *echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET("/results", func(c *echo.Context) error {
		n, err := strconv.Atoi(c.QueryParam("n"))
		if err != nil || n <= 0 || n > cfg.MaxResults {
			n = cfg.MaxResults
		}
		return c.JSON(http.StatusOK, map[string]int{"count": n})
	})
	e.GET("/results/:id", func(c *echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"id": c.Param("id")})
	})
	return e, nil
}
