package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"overlap/service"
	"overlap/store"
)

// callerActor is who makes a change: the calling key's id and label.
func callerActor(c echo.Context) store.Actor {
	key, _ := c.Get(keyContextKey).(*store.APIKey)
	if key == nil {
		return store.Actor{}
	}
	return store.Actor{KeyID: key.ID, Label: key.Label}
}

func (s *Server) listSlotsHandler(c echo.Context) error {
	q, err := s.readPlanQuery(c)
	if err != nil {
		return err
	}
	slots, err := s.svc.Slots(c.Request().Context(), c.Param("team"), q.from, q.to)
	if err != nil {
		return err
	}
	localize(slots, q.zone)
	return c.JSON(http.StatusOK, slots)
}

func (s *Server) getSlotHandler(c echo.Context) error {
	zone, err := answerZone(c)
	if err != nil {
		return err
	}
	slot, err := s.svc.FindSlot(c.Request().Context(), c.Param("team"), c.Param("slot"))
	if err != nil {
		return err
	}
	localize(slot, zone)
	return c.JSON(http.StatusOK, slot)
}

// cancelSlotRequest is the body of a cancellation.
type cancelSlotRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) cancelSlotHandler(c echo.Context) error {
	var in cancelSlotRequest
	if err := s.decodeJSON(c, &in); err != nil {
		return err
	}
	slot, err := s.svc.CancelSlot(c.Request().Context(), c.Param("team"), c.Param("slot"), in.Reason, callerActor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, slot)
}

func (s *Server) listAgendaHandler(c echo.Context) error {
	items, err := s.svc.Agenda(c.Request().Context(), c.Param("team"), c.Param("slot"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

func (s *Server) addAgendaItemHandler(c echo.Context) error {
	var in service.AgendaInput
	if err := s.decodeJSON(c, &in); err != nil {
		return err
	}
	item, err := s.svc.AddAgendaItem(c.Request().Context(), c.Param("team"), c.Param("slot"), in, callerActor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, item)
}

func (s *Server) deleteAgendaItemHandler(c echo.Context) error {
	if err := s.svc.DeleteAgendaItem(c.Request().Context(), c.Param("team"), c.Param("slot"), c.Param("item")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) orphanedSlotsHandler(c echo.Context) error {
	orphans, err := s.svc.OrphanedSlots(c.Request().Context(), c.Param("team"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": orphans})
}
