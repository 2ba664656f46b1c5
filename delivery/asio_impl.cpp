// SPDX-License-Identifier: EUPL-1.2
// Asio's and Beast's compiled parts, built once here (BOOST_*_SEPARATE_COMPILATION), so that the
// translation units that use them compile faster and never define them twice.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
