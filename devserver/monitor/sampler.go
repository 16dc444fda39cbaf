package monitor

import (
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync"
	"time"
)

// DefaultInterval is how often Config.Interval samples by default.
const DefaultInterval = 5 * time.Second

// window is how much history each series keeps, and maxPoints caps the
// points of one series whatever the interval, so a fast interval keeps
// less than an hour rather than more memory.
const (
	window    = time.Hour
	maxPoints = 3600
)

// Config says how often to sample and what to warn about. The zero value
// of each field is its documented default.
type Config struct {
	// Interval between samples. Default: DefaultInterval (5s).
	Interval time.Duration
	// Thresholds of the warnings. Default: see Thresholds.
	Thresholds Thresholds
	// Warn is told each warning, once per episode. Default: none here;
	// devserver.Config.Monitor's logs them as warnings.
	Warn func(Warning)
	// Sampled is given every sample but the first (taken by Start, it has
	// no rates yet), for --log json. Default: none.
	Sampled func(Sample)
}

// Sources are where a sample's figures come from; nil ones are skipped.
type Sources struct {
	Root     string                     // the served folder, whose file system's space is read
	Mounts   []Folder                   // more folders whose file systems' space is read
	Backends func() []Backend           // the backends running now
	Counters func() Counters            // cumulative counts
	Watches  func() (used, limit int)   // the OS's watch budget
	Paints   func() []float64           // save-to-paint ms of the updates since the last call
	Disk     func(string) (Disk, error) // default DiskSpace
}

// Sampler samples on its interval until Close, keeping each series in a
// ring and checking the thresholds after every sample.
type Sampler struct {
	cfg     Config
	src     Sources
	self    int
	stop    chan struct{}
	done    sync.WaitGroup
	closing sync.Once

	mu      sync.Mutex // guards what follows, and the history
	hist    *history
	warn    *warner
	selfCPU cpuMeter
	cpus    map[string]*cpuMeter // by backend name
	folders []Folder             // Root, then Mounts: whose disks are read
	last    Counters
	lastAt  time.Time
}

// Start fills in cfg's defaults, takes a first sample and samples every
// interval from then on.
func Start(cfg Config, src Sources) *Sampler {
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	cfg.Thresholds = cfg.Thresholds.WithDefaults()
	if src.Disk == nil {
		src.Disk = DiskSpace
	}
	capacity := min(maxPoints, max(2, int(window/cfg.Interval)))
	s := &Sampler{cfg: cfg, src: src, self: os.Getpid(), stop: make(chan struct{}),
		hist: newHistory(capacity), warn: newWarner(cfg.Thresholds), cpus: map[string]*cpuMeter{}}
	if src.Root != "" {
		s.folders = append(s.folders, Folder{Name: src.Root, Path: src.Root})
	}
	s.folders = append(s.folders, src.Mounts...)
	s.sample(false) // a first reading, so rates start from now
	s.done.Go(s.run)
	return s
}

func (s *Sampler) run() {
	tick := time.NewTicker(s.cfg.Interval)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			s.Sample()
		case <-s.stop:
			return
		}
	}
}

// Close stops sampling and waits for a sample in progress.
func (s *Sampler) Close() {
	s.closing.Do(func() { close(s.stop) })
	s.done.Wait()
}

// Sample takes one sample now, keeps it and checks the thresholds.
func (s *Sampler) Sample() Sample { return s.sample(true) }

// sample takes a sample, warns of what it crossed, and gives it to
// Sampled if tell: the first one, which has no rates yet, it does not.
func (s *Sampler) sample(tell bool) Sample {
	s.mu.Lock()
	smp := s.read(time.Now())
	s.hist.add(smp)
	warnings := s.warn.check(s.hist, smp)
	s.mu.Unlock()
	for _, w := range warnings {
		if s.cfg.Warn != nil {
			s.cfg.Warn(w)
		}
	}
	if tell && s.cfg.Sampled != nil {
		s.cfg.Sampled(smp)
	}
	return smp
}

// read takes the figures; s.mu is held.
func (s *Sampler) read(now time.Time) Sample {
	smp := Sample{At: now, Goroutines: runtime.NumGoroutine(), Heap: heapBytes()}
	if f, err := readSelf(); err == nil {
		smp.Self = Proc{CPU: s.selfCPU.percent(s.self, f.cpu, now), RSS: f.rss, Procs: 1}
	}
	smp.Backends = s.readBackends(now)
	smp.Disks = readDisks(s.src.Disk, s.folders)
	if s.src.Watches != nil {
		smp.WatchesUsed, smp.WatchesLimit = s.src.Watches()
	}
	s.readRates(&smp, now)
	if s.src.Paints != nil {
		smp.Updates, smp.PaintMedian, smp.PaintMax = paintFigures(s.src.Paints())
	}
	return smp
}

// readBackends reads each running backend's process tree.
func (s *Sampler) readBackends(now time.Time) []BackendProc {
	if s.src.Backends == nil {
		return nil
	}
	var out []BackendProc
	seen := map[string]bool{}
	for _, b := range s.src.Backends() {
		f, err := readTree(b.PID, true)
		if err != nil {
			continue // gone meanwhile: its next start is read next time
		}
		m := s.cpus[b.Name]
		if m == nil {
			m = &cpuMeter{}
			s.cpus[b.Name] = m
		}
		seen[b.Name] = true
		out = append(out, BackendProc{Name: b.Name, PID: b.PID, Proc: Proc{CPU: m.percent(b.PID, f.cpu, now), RSS: f.rss, Procs: f.procs}})
	}
	for name := range s.cpus {
		if !seen[name] {
			delete(s.cpus, name)
		}
	}
	return out
}

// readRates turns the counters into rates over the interval.
func (s *Sampler) readRates(smp *Sample, now time.Time) {
	if s.src.Counters == nil {
		return
	}
	c := s.src.Counters()
	if secs := now.Sub(s.lastAt).Seconds(); !s.lastAt.IsZero() && secs > 0 {
		smp.Events = float64(c.Events-min(c.Events, s.last.Events)) / secs
		smp.Requests = float64(c.Requests-min(c.Requests, s.last.Requests)) / secs
		smp.Proxied = float64(c.Proxied-min(c.Proxied, s.last.Proxied)) / secs
		smp.Batches = c.Batches - min(c.Batches, s.last.Batches)
	}
	s.last, s.lastAt = c, now
}

// paintFigures are the count, median and slowest of the save-to-paint
// times of an interval.
func paintFigures(ms []float64) (n int, median, slowest float64) {
	if len(ms) == 0 {
		return 0, 0, 0
	}
	ms = slices.Clone(ms)
	slices.Sort(ms)
	return len(ms), ms[len(ms)/2], ms[len(ms)-1]
}

// heapSample reads the Go heap's live objects (runtime/metrics, which
// does not stop the world as runtime.ReadMemStats does).
var heapSample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}

func heapBytes() uint64 {
	s := slices.Clone(heapSample)
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
