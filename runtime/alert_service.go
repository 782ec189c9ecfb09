package runtime

import "sync"

// alertService is the part of Kapacitor's alert service a task binary
// needs: topics that remember the latest event state per event ID
// (previousLevel, restoring a new group's state) and the inhibitors of
// the task's alert nodes. One per task.
type alertService struct {
	mu         sync.Mutex
	topics     map[string]*alertTopic
	inhibitors map[string][]*alertInhibitor // by category
}

// alertServices maps a *Task to its alert service, so that the Task type
// needs no alert fields.
var alertServices sync.Map

func alertServiceOf(t *Task) *alertService {
	if s, ok := alertServices.Load(t); ok {
		return s.(*alertService)
	}
	s, _ := alertServices.LoadOrStore(t, &alertService{
		topics:     map[string]*alertTopic{},
		inhibitors: map[string][]*alertInhibitor{},
	})
	return s.(*alertService)
}

// alertTopic keeps the latest event state of every event ID published to it.
type alertTopic struct {
	events map[string]alertEventState
}

// alertEventState is what a topic remembers of an event.
type alertEventState struct {
	Time  int64 // Unix ns
	Level AlertLevel
}

// topic returns the topic of that name, creating it.
func (s *alertService) topic(name string) *alertTopic {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.topics[name]
	if t == nil {
		t = &alertTopic{events: map[string]alertEventState{}}
		s.topics[name] = t
	}
	return t
}

// collect records the state of an event and returns the level of the
// previous event with that ID (OK when there was none).
func (s *alertService) collect(topic *alertTopic, id string, st alertEventState) AlertLevel {
	s.mu.Lock()
	prev := topic.events[id]
	topic.events[id] = st
	s.mu.Unlock()
	return prev.Level
}

// eventState returns the remembered state of event id in a topic.
func (s *alertService) eventState(topic *alertTopic, id []byte) (alertEventState, bool) {
	s.mu.Lock()
	st, ok := topic.events[string(id)] // no copy: a lookup
	s.mu.Unlock()
	return st, ok
}

// update overwrites the remembered state of an event.
func (s *alertService) update(topic *alertTopic, id string, st alertEventState) {
	s.mu.Lock()
	topic.events[id] = st
	s.mu.Unlock()
}

// alertInhibitor suppresses events of a category whose tags equal its
// tags while active (the group that owns it is not OK).
type alertInhibitor struct {
	category string
	tags     Tags
	active   bool
}

func (s *alertService) addInhibitor(in *alertInhibitor) {
	s.mu.Lock()
	s.inhibitors[in.category] = append(s.inhibitors[in.category], in)
	s.mu.Unlock()
}

// isInhibited reports whether an active inhibitor of the category matches
// the tags (a tag missing from tags counts as "").
func (s *alertService) isInhibited(category string, tags Tags) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, in := range s.inhibitors[category] {
		if !in.active {
			continue
		}
		match := true
		for _, t := range in.tags {
			if v, _ := tags.Get(t.Key); v != t.Value {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}
