package main

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
)

// newRouter builds the HTTP routes of the service.
func newRouter(inv *inventory) (*gin.Engine, error) {
	if inv == nil {
		return nil, errors.New("no inventory")
	}
	r := gin.New()
	r.Use(gin.Recovery(), requestID())

	r.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	api := r.Group("/api")
	api.GET("/products", inv.list)
	api.POST("/products", inv.add)
	return r, nil
}

// requestID tags every response with the request's X-Request-Id, if any.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		if id := c.GetHeader("X-Request-Id"); id != "" {
			c.Header("X-Request-Id", id)
		}
		c.Next()
	}
}
