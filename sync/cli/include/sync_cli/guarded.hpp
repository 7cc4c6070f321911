// The command groups' common wrapper: a command body's exception becomes "borderpost WHAT:
// reason" on standard error and exit status `failure_code`, 1 unless the command documents
// another (the station's groups use it too).
#pragma once

#include <exception>
#include <ostream>

namespace borderpost::sync::cli {

template <typename Body>
auto guarded(std::ostream& err, int& exit_code, const char* what, Body body, int failure_code = 1) {
  return [&err, &exit_code, what, body, failure_code] {
    try {
      exit_code = body();
    } catch (const std::exception& e) {
      err << "borderpost " << what << ": " << e.what() << "\n";
      exit_code = failure_code;
    }
  };
}

}  // namespace borderpost::sync::cli
