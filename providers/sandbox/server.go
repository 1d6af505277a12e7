// Package sandbox is a real HTTP simulator of every provider herald speaks: Itniotech, Huawei CEC, EngageLab,
// InnoPaaS and Meta's Cloud API, each on its documented paths, checking authentication and body shape as the
// provider does and answering with the provider's own success and error bodies. Knobs add latency, transient
// errors, rate limiting and rejected numbers; a request log records every message it accepted, so tests can
// prove that nobody was messaged twice.
package sandbox

import (
	"bufio"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Action is what the sandbox does with one request once it is authenticated and well formed.
type Action int

// The actions. Each dialect answers each one with that provider's own body.
const (
	// Default lets the knobs decide (a Decide hook returns it to leave a request alone).
	Default Action = iota
	// Accept sends the message: a success answer with a new message id, logged as sent.
	Accept
	// Transient answers the provider's transient error (5xx, "system exception").
	Transient
	// RateLimited answers the provider's rate-limit error with Retry-After.
	RateLimited
	// RejectNumber answers the provider's invalid-recipient error.
	RejectNumber
	// AuthFail answers the provider's authentication error, as if the credentials were revoked.
	AuthFail
	// TemplateMissing answers the provider's template-not-found (or paused) error.
	TemplateMissing
	// Drop reads the request and closes the connection without an answer: the outcome is unknown to the client.
	// It is logged as dropped: the message may or may not have gone out.
	Drop
	// HTMLPage answers 502 with a proxy's HTML page instead of JSON.
	HTMLPage
)

var actionNames = [...]string{"default", "sent", "transient", "rate_limited", "reject_number", "auth_fail",
	"template_missing", "dropped", "html_page"}

// String names the action as the log records it.
func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return "action_" + strconv.Itoa(int(a))
}

// Request is what the sandbox knows of one message request, for the Decide hook and the log.
type Request struct {
	// Dialect is the provider the request spoke: itniotech, huawei, engagelab, innopaas or meta.
	Dialect string
	// To is the recipient (one entry per recipient of a batch request).
	To string
	// Template is the template name; Ref the client reference the adapter sent (bulkId, uid, ...), if any.
	Template string
	Ref      string
	// SendAt is the time a scheduled message is to go (Huawei's sendAt); zero for at once.
	SendAt time.Time
	// Session is a session message's type instead of a template ("text", "interactive/list"); "" otherwise.
	Session string
	// Seq numbers the requests the sandbox admitted, from 1.
	Seq int64
}

// Entry is one line of the request log.
type Entry struct {
	Seq       int64     `json:"seq"`
	Time      time.Time `json:"time"`
	Dialect   string    `json:"dialect"`
	To        string    `json:"to"`
	Template  string    `json:"template,omitempty"`
	Session   string    `json:"session,omitempty"`
	Ref       string    `json:"ref,omitempty"`
	Action    string    `json:"action"`
	MessageID string    `json:"message_id,omitempty"`
	Status    int       `json:"status"`
	SendAt    time.Time `json:"send_at,omitzero"`
}

// Options are the sandbox's knobs. The zero value accepts everything at once.
type Options struct {
	// Latency is added before each answer; Jitter adds a uniform random 0..Jitter on top.
	Latency time.Duration
	Jitter  time.Duration
	// ErrorRate is the share (0..1) of requests answered with the provider's transient error.
	ErrorRate float64
	// RateLimit caps accepted requests per second over all dialects (0: no cap); requests over it get the
	// provider's rate-limit answer with Retry-After. RateBurst is the bucket size (default 1 s worth).
	RateLimit float64
	RateBurst int
	// RejectPrefixes: recipients starting with one of these get the provider's invalid-number answer.
	RejectPrefixes []string
	// Decide, when set, picks the action for each request; returning Default falls back on the knobs.
	Decide func(Request) Action
	// Credentials are the accounts the sandbox accepts, by dialect. Default: Credentials("").
	Credentials map[string]Account
	// TokenTTL is the life of a Huawei access token (default 600 s).
	TokenTTL time.Duration
	// KeepLog keeps the request log in memory for Log(); LogTo also (or instead) writes it as JSON lines, each
	// line written whole as its request is recorded.
	KeepLog bool
	LogTo   io.Writer
	// Seed makes the random knobs repeatable (0: a random seed).
	Seed uint64
	// TemplateReview is how long a template created through the itniotech dialect's template/add stays
	// PENDING before its review ends (APPROVED, or REJECTED for a name starting with RejectedTemplatePrefix);
	// 0 ends it at once. TemplateClock is the clock it is timed on (time.Now when nil): tests step it.
	TemplateReview time.Duration
	TemplateClock  func() time.Time
	// StrictTemplates makes a template the sandbox did not create missing: queries find nothing and sends on it
	// are refused. Without it, such a template counts as approved in the provider's console already.
	StrictTemplates bool
	// ScheduleClock is the time a scheduled send time must be after (time.Now when nil): tests give their clock.
	ScheduleClock func() time.Time
	// Callbacks make the sandbox call back after it accepts a message (callbacks.go); none without targets.
	Callbacks CallbackOptions
}

// Server is the simulator. It is an http.Handler; Start serves it on a loopback port.
type Server struct {
	opts    Options
	mux     *http.ServeMux
	limiter *rate.Limiter

	seq    atomic.Int64
	counts [len(actionNames)]atomic.Int64
	mu     sync.Mutex // guards rng, log, logw
	rng    *rand.Rand
	log    []Entry
	logw   *bufio.Writer
	tokens tokenStore
	// callbacks posts delivery receipts and replies; nil when the options name no target.
	callbacks *callbacks
	httpSrv   *http.Server
	ln        net.Listener

	// templates are the templates created through the itniotech dialect's template API.
	templates templateRegistry
}

// New builds a sandbox with the given knobs.
func New(opts Options) *Server {
	if opts.Credentials == nil {
		opts.Credentials = Credentials()
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = 600 * time.Second
	}
	seed := opts.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	s := &Server{opts: opts, mux: http.NewServeMux(), rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	if opts.RateLimit > 0 {
		burst := opts.RateBurst
		if burst <= 0 {
			burst = int(math.Max(1, math.Ceil(opts.RateLimit)))
		}
		s.limiter = rate.NewLimiter(rate.Limit(opts.RateLimit), burst)
	}
	if opts.LogTo != nil {
		s.logw = bufio.NewWriterSize(opts.LogTo, 64<<10)
	}
	s.tokens.init()
	if len(opts.Callbacks.Targets) > 0 {
		s.callbacks = newCallbacks(s, opts.Callbacks)
	}
	s.mountItniotech(s.mux)
	s.mountHuawei(s.mux)
	s.mountEngagelab(s.mux)
	s.mountInnopaas(s.mux)
	s.mountMeta(s.mux)
	return s
}

// ServeHTTP routes a request to its dialect. Unknown paths get a plain 404 naming the documented paths.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Start serves on addr ("127.0.0.1:0" for any free loopback port) and returns the base_url to use.
func (s *Server) Start(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("sandbox: listen on %s: %w", addr, err)
	}
	s.ln = ln
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.httpSrv.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

// Close stops serving (waiting briefly for answers in progress), drops the callbacks not yet posted and flushes
// the log file.
func (s *Server) Close() error {
	s.callbacks.stop()
	var err error
	if s.httpSrv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err = s.httpSrv.Shutdown(ctx); err != nil {
			err = s.httpSrv.Close()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.logw != nil {
		if ferr := s.logw.Flush(); ferr != nil && err == nil {
			err = ferr
		}
	}
	return err
}

// Flush writes buffered log lines to LogTo.
func (s *Server) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.logw == nil {
		return nil
	}
	return s.logw.Flush()
}

// Log returns a copy of the in-memory request log (Options.KeepLog).
func (s *Server) Log() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Entry(nil), s.log...)
}

// Count returns how many requests got action a.
func (s *Server) Count(a Action) int64 {
	if int(a) >= len(s.counts) {
		return 0
	}
	return s.counts[a].Load()
}

// ExpireTokens makes every Huawei access token issued so far invalid, as if it had expired.
func (s *Server) ExpireTokens() { s.tokens.expireAll() }

// admit decides what to do with each recipient of an authenticated, well-formed request: the Decide hook first,
// then rejected prefixes, the rate limit and the error rate. It then waits the configured latency once for the
// request, whatever its number of recipients (or until the client goes away), and returns the actions, each
// request's sequence number set.
func (s *Server) admit(ctx context.Context, reqs []Request) []Action {
	acts := make([]Action, len(reqs))
	for i := range reqs {
		req := &reqs[i]
		req.Seq = s.seq.Add(1)
		act := Default
		if s.opts.Decide != nil {
			act = s.opts.Decide(*req)
		}
		if act == Default {
			act = s.knobs(req.To)
		}
		acts[i] = act
	}
	if d := s.delay(); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	return acts
}

// admitOne is admit for a request with one recipient.
func (s *Server) admitOne(ctx context.Context, req *Request) Action {
	reqs := [1]Request{*req}
	act := s.admit(ctx, reqs[:])[0]
	*req = reqs[0]
	return act
}

func (s *Server) knobs(to string) Action {
	for _, p := range s.opts.RejectPrefixes {
		if p != "" && strings.HasPrefix(to, p) {
			return RejectNumber
		}
	}
	if s.limiter != nil && !s.limiter.Allow() {
		return RateLimited
	}
	if s.opts.ErrorRate > 0 {
		s.mu.Lock()
		f := s.rng.Float64()
		s.mu.Unlock()
		if f < s.opts.ErrorRate {
			return Transient
		}
	}
	return Accept
}

func (s *Server) delay() time.Duration {
	d := s.opts.Latency
	if s.opts.Jitter > 0 {
		s.mu.Lock()
		d += time.Duration(s.rng.Int64N(int64(s.opts.Jitter) + 1))
		s.mu.Unlock()
	}
	return d
}

// retryAfterSeconds is the Retry-After (whole seconds, at least 1) a rate-limited client should wait.
func (s *Server) retryAfterSeconds() int {
	if s.limiter == nil {
		return 1
	}
	r := s.limiter.Reserve()
	d := r.Delay()
	r.Cancel()
	return int(math.Max(1, math.Ceil(d.Seconds())))
}

// record counts the action and appends one log entry per recipient.
func (s *Server) record(req Request, act Action, status int, messageID string) {
	s.counts[act].Add(1)
	if act == Accept {
		s.callbacks.accepted(req, messageID)
	}
	if !s.opts.KeepLog && s.logw == nil {
		return
	}
	e := Entry{Seq: req.Seq, Time: time.Now().UTC(), Dialect: req.Dialect, To: req.To, Template: req.Template,
		Session: req.Session, Ref: req.Ref, Action: act.String(), MessageID: messageID, Status: status,
		SendAt: req.SendAt}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opts.KeepLog {
		s.log = append(s.log, e)
	}
	if s.logw != nil {
		// One whole line per request reaches LogTo before the answer: a reader following the file (tail -f)
		// never holds a broken last line.
		b, _ := json.Marshal(e)
		_, _ = s.logw.Write(append(b, '\n'))
		_ = s.logw.Flush()
	}
}

// newID returns a fresh message id with the given prefix.
func (s *Server) newID(prefix string) string {
	s.mu.Lock()
	a, b := s.rng.Uint64(), s.rng.Uint64()
	s.mu.Unlock()
	return fmt.Sprintf("%s%016x%08x", prefix, a, uint32(b))
}

// drop closes the client's connection without an answer.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// answer logs every recipient of a request with act, then answers: no answer at all for Drop (the connection is
// closed), a proxy's page for HTMLPage, else body as JSON with status. Logging first means that a client holding
// its answer, or its lost connection, always finds its entries in the log.
func (s *Server) answer(w http.ResponseWriter, reqs []Request, act Action, status int, id string, body any) {
	for _, req := range reqs {
		s.record(req, act, status, id)
	}
	switch act {
	case Drop:
		drop(w)
	case HTMLPage:
		writeHTML(w)
	default:
		writeJSON(w, status, body)
	}
}

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeHTML answers a proxy's 502 HTML page.
func writeHTML(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadGateway)
	_, _ = io.WriteString(w, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n")
}

// secretEqual compares a credential in constant time; an empty expected value never matches.
func secretEqual(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// isMSISDN reports whether n is an international number as every provider takes it: 7 to 15 digits, country
// code first (no '+', no leading 0).
func isMSISDN(n string) bool {
	if len(n) < 7 || len(n) > 15 || n[0] == '0' {
		return false
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return false
		}
	}
	return true
}

// maxBody bounds a request body the sandbox reads.
const maxBody = 1 << 20

// readJSON decodes the request body into v, rejecting unknown fields when strict is set.
func readJSON(r *http.Request, v any, strict bool) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("body is not the expected JSON: %w", err)
	}
	if dec.More() {
		return errors.New("body has data after the JSON document")
	}
	return nil
}
