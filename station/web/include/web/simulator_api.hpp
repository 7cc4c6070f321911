// The local API of the simulated page reader (demonstrations, training, tests): place a sample
// document, remove it, unplug and plug the reader. It stands for hardware on the desk and carries
// no person's data, so it needs no log-in; it only takes requests from the station's own pages.
#pragma once

#include <string>

#include "firmware_bridge/simulated_page_reader.hpp"
#include "web/local_server.hpp"

namespace borderpost::station {

class SimulatorApi {
 public:
  explicit SimulatorApi(bridge::SimulatedPageReader* reader) : reader_(reader) {}  // nullptr: no simulator

  // `action`: what follows /api/simulator/ ("samples", "place", "remove", "unplug", "plug").
  HttpResponse handle(const HttpRequest& request, const std::string& action);

 private:
  bridge::SimulatedPageReader* reader_;
};

}  // namespace borderpost::station
