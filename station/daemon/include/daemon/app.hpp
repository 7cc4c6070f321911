// The station daemon: wires the page reader, the optical MRZ reader, the inspection checks, the
// store, the local API and the sync client around one Boost.Asio event loop.
#pragma once

#include <iosfwd>

#include "config/config.hpp"

namespace borderpost::station {

// Runs the post until SIGTERM/SIGINT. Prints where the API listens and where the data lives on
// `out`; returns the process exit code. Throws for start-up failures (data directory, database,
// address in use) with a message meant for the person starting it.
int run_station(const StationConfig& config, std::ostream& out);

}  // namespace borderpost::station
