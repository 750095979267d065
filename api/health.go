package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"overlap"
)

type healthStatus struct {
	Status string `json:"status"`
	Detail string `json:"detail,omitempty"`
}

// healthzHandler says the process is up; it touches nothing else.
func (s *Server) healthzHandler(c echo.Context) error {
	return c.JSON(http.StatusOK, healthStatus{Status: "ok"})
}

// readyzHandler says whether the database answers and is fully migrated.
func (s *Server) readyzHandler(c echo.Context) error {
	if err := s.svc.Ready(c.Request().Context()); err != nil {
		return c.JSON(http.StatusServiceUnavailable, healthStatus{Status: "unavailable", Detail: err.Error()})
	}
	return c.JSON(http.StatusOK, healthStatus{Status: "ok"})
}

func (s *Server) openAPIHandler(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/yaml", overlap.OpenAPI)
}
