// Movements and records for the sync tests: a plausible crossing, varied by a number.
#pragma once

#include <string>

#include "sync/record.hpp"

namespace borderpost::sync::testing {

inline Movement sample_movement(int n = 1) {
  Movement m;
  m.direction = n % 2 ? "entry" : "exit";
  m.document = {"TD3", "P", "UTO", "L8989" + std::to_string(1000 + n % 9000), "2031-04-15"};
  m.traveller = {"ERIKSSON", "ANNA MARIA", n % 3 ? "UTO" : "PER", "1974-08-12", n % 2 ? "F" : "M"};
  m.decision = "admit";
  m.inspector = "insp-042";
  m.checks = {"pass", 5, 0, 0, 1};
  return m;
}

}  // namespace borderpost::sync::testing
