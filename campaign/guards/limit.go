package guards

import (
	"container/heap"
	"fmt"
	"slices"
	"sync"
	"time"

	"herald/campaign/check"
	"herald/campaign/status"
)

// LimitSpan is the span of Meta's messaging limit: distinct numbers messaged in any rolling 24 hours.
const LimitSpan = 24 * time.Hour

// Limit is a profile's messaging limit: at most Max distinct numbers messaged in any rolling LimitSpan, across
// every campaign in the store. It starts from the numbers the store says the profile messaged in the last
// LimitSpan and counts the places the run takes; a number already messaged in the span takes no new place.
// Safe for concurrent use.
type Limit struct {
	max     int
	profile string
	mu      sync.Mutex
	// last is when each number in the span was last messaged (or its place taken), in unix milliseconds:
	// 16 bytes a number, so a limit of 100,000 holds a few megabytes.
	last map[uint64]int64
	// ages orders the places by time; an entry whose time is no longer last's is stale and skipped.
	ages ageHeap
}

// newLimit returns an empty limit of max distinct numbers for the named profile.
func newLimit(max int, profile string) *Limit {
	return &Limit{max: max, profile: profile, last: map[uint64]int64{}}
}

// Max is the limit: distinct numbers in any rolling LimitSpan.
func (l *Limit) Max() int { return l.max }

// spanMillis is LimitSpan in milliseconds.
const spanMillis = int64(LimitSpan / time.Millisecond)

// note records that the number of key k was messaged at at (unix milliseconds, from the store); the latest
// time of a number counts.
func (l *Limit) note(k uint64, at int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.put(k, at)
}

// put records k at at unless it is already there with a later time. Called with l.mu held.
func (l *Limit) put(k uint64, at int64) {
	if prev, ok := l.last[k]; ok && at <= prev {
		return
	}
	l.last[k] = at
	heap.Push(&l.ages, age{at: at, key: k})
}

// prune forgets the numbers messaged LimitSpan or longer before now, and stale entries at the front. Called
// with l.mu held.
func (l *Limit) prune(now time.Time) {
	ms := now.UnixMilli()
	for len(l.ages) > 0 {
		top := l.ages[0]
		at, ok := l.last[top.key]
		live := ok && at == top.at
		if live && top.at+spanMillis > ms {
			return
		}
		heap.Pop(&l.ages)
		if live {
			delete(l.last, top.key)
		}
	}
}

// Used is how many distinct numbers hold a place at now.
func (l *Limit) Used(now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(now)
	return len(l.last)
}

// Reserve takes a place for number at now. ok is false when every place is taken, with next the time the
// first of them frees. fresh is set when the number took a new place (not already messaged in the span):
// Release gives it back if its message does not leave.
func (l *Limit) Reserve(number string, now time.Time) (fresh, ok bool, next time.Time) {
	k, valid := numberKey(number)
	if !valid {
		return false, true, time.Time{}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(now)
	if _, ok := l.last[k]; ok {
		return false, true, time.Time{}
	}
	if len(l.last) >= l.max {
		return false, false, time.UnixMilli(l.ages[0].at + spanMillis).UTC()
	}
	l.put(k, now.UnixMilli())
	return true, true, time.Time{}
}

// Release gives back the place number took with a fresh Reserve, when its message did not leave.
func (l *Limit) Release(number string) {
	if k, ok := numberKey(number); ok {
		l.mu.Lock()
		delete(l.last, k)
		l.mu.Unlock()
	}
}

// Sent records that number's request left at at, so its place lasts LimitSpan from then.
func (l *Limit) Sent(number string, at time.Time) {
	if k, ok := numberKey(number); ok {
		l.mu.Lock()
		l.put(k, at.UnixMilli())
		l.mu.Unlock()
	}
}

// checkGuard is the limit as a check guard at now: ready rows take places in file order; a row that finds
// them all taken is deferred to the time a place is expected to free for it. The places free in the order
// they were taken, and a row deferred to a place is counted as taking it again then, so the rows over the
// limit are spread over the coming days instead of all waking at the first free place. The engine still
// checks the limit when each row's time comes.
func (l *Limit) checkGuard(now time.Time) check.Guard {
	l.mu.Lock()
	l.prune(now)
	frees := make([]int64, 0, len(l.last)) // when each place frees, unix milliseconds
	for _, at := range l.last {
		frees = append(frees, at+spanMillis)
	}
	l.mu.Unlock()
	slices.Sort(frees)
	head := 0
	prefix := fmt.Sprintf("profile %s has messaged %d distinct numbers in the last 24 hours, its messaging_limit: "+
		"this row waits for a place to free, expected at ", l.profile, l.max)
	return func(r *check.Row) {
		fresh, ok, _ := l.Reserve(r.Number, now)
		if ok {
			if fresh {
				frees = append(frees, now.UnixMilli()+spanMillis)
			}
			return
		}
		ms := frees[head]
		head++
		frees = append(frees, ms+spanMillis)
		if head >= 4096 && head*2 >= len(frees) { // a queue of one entry a place: drop the ones taken
			frees = append(frees[:0], frees[head:]...)
			head = 0
		}
		at := time.UnixMilli(ms).UTC()
		r.Status, r.NotBefore = status.Deferred, at
		r.Problem = &status.Problem{Code: status.CodeMessagingLimit, Reason: prefix + at.Format(time.RFC3339)}
	}
}

// age is when a number took its place (unix milliseconds).
type age struct {
	at  int64
	key uint64
}

// ageHeap is a min-heap of places by time (container/heap).
type ageHeap []age

// Len implements heap.Interface.
func (h ageHeap) Len() int { return len(h) }

// Less implements heap.Interface.
func (h ageHeap) Less(i, j int) bool { return h[i].at < h[j].at }

// Swap implements heap.Interface.
func (h ageHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }

// Push implements heap.Interface.
func (h *ageHeap) Push(x any) { *h = append(*h, x.(age)) }

// Pop implements heap.Interface.
func (h *ageHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
