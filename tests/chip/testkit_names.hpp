// The names the test kit's own suites share: the kit as chip::, the station's eMRTD code as
// emrtd::, its bytes and commands, and Utopia, the throw-away country whose PKI signs the chips.
#pragma once

#include "emrtd/apdu.hpp"
#include "emrtd/bytes.hpp"
#include "test_pki.hpp"

namespace chip = borderpost::test::chip;
namespace emrtd = borderpost::station::emrtd;
using emrtd::Bytes;
using emrtd::ByteView;
using emrtd::CommandApdu;

inline const chip::UtopiaPki& utopia() { return chip::utopia_pki(); }
