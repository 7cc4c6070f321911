// Reading and verifying one ePassport chip, start to end: access control with the MRZ's keys,
// EF.COM, EF.SOD and the data groups, passive authentication against the trust store, Active
// Authentication when DG15 offers it, and Chip Authentication when DG14 does. Every step's time
// is kept (the benchmark reports them) and every failure is kept as an explained result rather
// than thrown: the inspector gets a report even from a chip that breaks off halfway.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mrz/document.hpp"
#include "emrtd/chip_session.hpp"
#include "emrtd/lds.hpp"
#include "emrtd/passive_auth.hpp"

namespace borderpost::station::emrtd {

class TrustStore;

struct ChipReadOptions {
  bool try_pace = true;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

struct ChipReport {
  enum class Outcome {
    read,           // access granted and every listed file read
    access_denied,  // neither PACE nor BAC opened it with the MRZ's keys
    broken_off,     // the chip stopped answering (taken away) or answered garbage mid-read
  } outcome = Outcome::read;
  std::string error;  // access_denied / broken_off: why

  AccessResult access;
  std::optional<EfCom> com;
  std::map<int, Bytes> groups;  // data group number -> file as read
  Bytes sod;
  std::string dg1_mrz;          // lines
  std::vector<FaceImage> faces;
  DetailFields dg11, dg12;

  std::optional<SecurityObject> security_object;
  std::optional<PassiveAuthentication> passive;
  std::string passive_error;  // EF.SOD missing or malformed

  enum class ActiveAuth { not_offered, valid, invalid, failed } active_auth = ActiveAuth::not_offered;
  std::string active_auth_detail;

  // Chip Authentication (Part 11, 6.2) when DG14 offers it: valid once the chip answered under
  // the keys agreed with DG14's public key; failed when it refused or could not (a cloned chip);
  // not_run when DG14 offers it but it could not be tried (DH only, DG14 malformed, the read
  // broke off). The detail says what ran ("id-CA-ECDH-AES-CBC-CMAC-128 on brainpoolP256r1") or why.
  enum class ChipAuth { not_offered, valid, failed, not_run } chip_auth = ChipAuth::not_offered;
  std::string chip_auth_detail;

  struct Step {
    std::string name;  // "access", "EF.COM", "DG1", "DG2", "EF.SOD", "passive authentication", ...
    double milliseconds = 0;
  };
  std::vector<Step> steps;
  std::size_t commands = 0;
  bool extended_reads = false;
};

ChipReport read_chip(const RawTransmit& transmit, std::string_view mrz_information, const TrustStore& trust,
                     const ChipReadOptions& options = {});

// Active Authentication's check on its own: the chip's signature over the challenge, under the
// DG15 key (ECDSA with plain r||s signatures, or RSA with ISO/IEC 9796-2 scheme 1).
bool active_authentication_valid(ByteView dg15_key, ByteView challenge, ByteView signature, std::string& detail);

// DG1's MRZ against the optically read one, field by field: the names of the fields that differ.
std::vector<std::string> mrz_differences(const mrz::Document& chip, const mrz::Document& optical);

}  // namespace borderpost::station::emrtd
