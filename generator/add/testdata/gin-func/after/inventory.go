package main

import (
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"
)

// product is one line of the stock.
type product struct {
	Name     string `json:"name" binding:"required"`
	Quantity int    `json:"quantity"`
}

// inventory is the stock, in memory.
type inventory struct {
	mu       sync.Mutex
	products []product
}

func newInventory() *inventory { return &inventory{} }

func (inv *inventory) list(c *gin.Context) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	c.JSON(http.StatusOK, inv.products)
}

func (inv *inventory) add(c *gin.Context) {
	var p product
	if err := c.ShouldBindJSON(&p); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "invalid product"})
		return
	}
	inv.mu.Lock()
	inv.products = append(inv.products, p)
	inv.mu.Unlock()
	c.Status(http.StatusCreated)
}
