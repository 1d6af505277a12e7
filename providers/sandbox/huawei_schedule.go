package sandbox

import (
	"fmt"
	"time"
)

// huaweiSendAtLayout is the format sendAt is read in: the CEC's document gives none, and the OMNI API it follows
// documents yyyy-MM-dd'T'HH:mm:ss.SSSZ (2025-01-16T09:00:00.000+0900).
const huaweiSendAtLayout = "2006-01-02T15:04:05.000-0700"

// huaweiSendAt reads a request's sendAt: the time the CEC holds the message until (zero when the request has
// none), or what is wrong with it: not in the format, or not in the future by the sandbox's schedule clock.
func (s *Server) huaweiSendAt(v string) (time.Time, string) {
	if v == "" {
		return time.Time{}, ""
	}
	at, err := time.Parse(huaweiSendAtLayout, v)
	if err != nil {
		return time.Time{}, fmt.Sprintf("sendAt %q must be a date and time as yyyy-MM-dd'T'HH:mm:ss.SSSZ, such as 2025-01-16T09:00:00.000+0900", v)
	}
	now := time.Now()
	if s.opts.ScheduleClock != nil {
		now = s.opts.ScheduleClock()
	}
	if !at.After(now) {
		return time.Time{}, fmt.Sprintf("sendAt %s is not in the future: a scheduled message needs a later time", v)
	}
	return at.UTC(), ""
}
