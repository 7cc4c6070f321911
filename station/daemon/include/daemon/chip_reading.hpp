// The post's chip reader: reads the chip of the document on the desk on a thread of its own
// (every PC/SC call blocks) and hands what it found to a callback, which the station posts to its
// event loop. One read at a time; a newer document cancels the read of an older one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "inspection/inspection.hpp"

namespace borderpost::bridge {
class PcscReaders;
}

namespace borderpost::station {

struct ChipReadSettings {
  std::string reader;                  // the PC/SC reader's name; "" = whichever a chip is placed on
  std::chrono::milliseconds wait{3000};  // how long a chip may take to appear once the page is read
  std::filesystem::path trust_directory;  // the CSCA store (trust/csca in the data directory)
};

struct ChipReadResult {
  std::uint64_t inspection = 0;
  ChipFacts facts;
  std::vector<unsigned char> face_jpeg;  // DG2's face, decoded (JPEG or JPEG 2000) and encoded as JPEG for the pages
};

class ChipReading {
 public:
  using Done = std::function<void(ChipReadResult)>;  // called on the chip thread
  ChipReading(ChipReadSettings settings, Done done);
  ~ChipReading();  // stop()
  ChipReading(const ChipReading&) = delete;
  ChipReading& operator=(const ChipReading&) = delete;

  // Reads the chip for inspection `id` with the keys of `mrz_information` (a read under way is
  // cancelled and reports nothing). `now` is the time certificates are checked at.
  void read(std::uint64_t id, std::string mrz_information, std::chrono::system_clock::time_point now);
  void cancel();  // the document left the desk: a read under way reports nothing
  void stop();

 private:
  struct Job {
    std::uint64_t id = 0;
    std::string mrz_information;
    std::chrono::system_clock::time_point now;
  };
  void run(std::stop_token stop);
  bool superseded(std::uint64_t id);

  ChipReadSettings settings_;
  Done done_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::optional<Job> next_;
  std::uint64_t wanted_ = 0;  // the inspection whose chip is wanted; 0 = none
  bridge::PcscReaders* readers_ = nullptr;  // the thread's PC/SC context while it waits, for cancel()
  std::jthread thread_;
};

}  // namespace borderpost::station
