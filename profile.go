package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"
)

// heapWatch is how often the profiler looks at the live heap for a new peak.
const heapWatch = 500 * time.Millisecond

// startProfiles starts a CPU profile into dir/cpu.pprof and watches the
// live heap. stop ends the CPU profile and writes dir/heap.pprof: the
// heap when it was largest, which is what a memory limit has to hold
// (at the end of a run the engine has already let go of its windows).
func startProfiles(dir string) (stop func() error, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("--profile: %w", err)
	}
	cpu, err := os.Create(filepath.Join(dir, "cpu.pprof"))
	if err != nil {
		return nil, fmt.Errorf("--profile: %w", err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		cpu.Close()
		return nil, fmt.Errorf("--profile: %w", err)
	}
	peak := watchHeap()
	return func() error {
		pprof.StopCPUProfile()
		heap := peak.stop()
		if err := cpu.Close(); err != nil {
			return fmt.Errorf("--profile: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, "heap.pprof"), heap, 0o644); err != nil {
			return fmt.Errorf("--profile: %w", err)
		}
		return nil
	}, nil
}

// heapPeak keeps the heap profile of the largest live heap seen.
type heapPeak struct {
	done chan struct{}
	wg   sync.WaitGroup
	live uint64
	prof bytes.Buffer
}

func watchHeap() *heapPeak {
	h := &heapPeak{done: make(chan struct{})}
	h.wg.Go(func() {
		t := time.NewTicker(heapWatch)
		defer t.Stop()
		for {
			select {
			case <-h.done:
				return
			case <-t.C:
				h.look()
			}
		}
	})
	return h
}

// look takes a profile if the live heap (as of the last collection, as
// the profile is) is the largest yet.
func (h *heapPeak) look() {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if v := s[0].Value.Uint64(); v > h.live || h.prof.Len() == 0 {
		h.live = v
		h.prof.Reset()
		_ = pprof.Lookup("heap").WriteTo(&h.prof, 0) // into a bytes.Buffer: cannot fail
	}
}

// stop ends the watch and returns the profile of the peak (of the heap
// now, after a collection, if the run was too short to look even once).
func (h *heapPeak) stop() []byte {
	close(h.done)
	h.wg.Wait()
	if h.prof.Len() == 0 {
		runtime.GC()
		h.look()
	}
	return h.prof.Bytes()
}

// peakRSS is the most resident memory the process has had (VmHWM), or
// false where /proc does not say.
func peakRSS() (bytes int64, ok bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(b)) {
		if v, found := strings.CutPrefix(line, "VmHWM:"); found {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}
