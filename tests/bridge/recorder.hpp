// Collects a page reader's events for a test to wait on and inspect.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <vector>

#include "firmware_bridge/page_reader.hpp"

namespace borderpost::test {

struct EventRecorder {
  using Kind = bridge::DeviceEvent::Kind;
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<bridge::DeviceEvent> events;

  bridge::PageReader::Listener listener() {
    return [this](const bridge::DeviceEvent& e) {
      std::lock_guard lock(mutex);
      events.push_back(e);
      changed.notify_all();
    };
  }
  bool wait_for(Kind kind, int count = 1, int ms = 10'000) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::milliseconds(ms), [&] { return count_locked(kind) >= count; });
  }
  int count(Kind kind) {
    std::lock_guard lock(mutex);
    return count_locked(kind);
  }
  std::vector<bridge::DeviceEvent> snapshot() {
    std::lock_guard lock(mutex);
    return events;
  }
  std::vector<Kind> kinds() {
    std::lock_guard lock(mutex);
    std::vector<Kind> out;
    for (const auto& e : events) out.push_back(e.kind);
    return out;
  }
  std::vector<bridge::DeviceEvent> of(Kind kind) {
    std::lock_guard lock(mutex);
    std::vector<bridge::DeviceEvent> out;
    for (const auto& e : events)
      if (e.kind == kind) out.push_back(e);
    return out;
  }
  std::optional<bridge::DeviceEvent> first(Kind kind) {
    auto all = of(kind);
    if (all.empty()) return std::nullopt;
    return all.front();
  }
  // The kinds of the events so far, up to and including the first of `last`.
  std::vector<Kind> kinds_until(Kind last) {
    std::lock_guard lock(mutex);
    std::vector<Kind> kinds;
    for (const auto& e : events) {
      kinds.push_back(e.kind);
      if (e.kind == last) break;
    }
    return kinds;
  }

 private:
  int count_locked(Kind kind) const {
    return static_cast<int>(std::count_if(events.begin(), events.end(), [&](const bridge::DeviceEvent& e) { return e.kind == kind; }));
  }
};

}  // namespace borderpost::test
