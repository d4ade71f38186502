// Admission of costly work (work_gate.hpp): one job per user, a bounded number in all, the
// place freed when the job ends.
#include "transport/http/work_gate.hpp"

#include <gtest/gtest.h>

namespace soporte::transport::http {
namespace {

TEST(WorkGateTest, OnePerUserAndABoundInAll) {
  WorkGate gate(3);
  auto a = gate.TryEnter(1);
  ASSERT_TRUE(a);
  EXPECT_FALSE(gate.TryEnter(1));  // the same user again: refused, whatever the room left
  auto b = gate.TryEnter(2);
  auto c = gate.TryEnter(3);
  ASSERT_TRUE(b && c);
  EXPECT_FALSE(gate.TryEnter(4));  // full
  EXPECT_EQ(gate.held(), 3u);
  a.reset();  // user 1's job ended
  EXPECT_EQ(gate.held(), 2u);
  auto d = gate.TryEnter(4);
  EXPECT_TRUE(d);
  auto again = gate.TryEnter(1);
  EXPECT_FALSE(again);  // full again
  {
    std::optional<WorkGate::Pass> moved = std::move(b);
    b.reset();  // the moved-from pass frees nothing
    EXPECT_EQ(gate.held(), 3u);
  }
  EXPECT_EQ(gate.held(), 2u);
  EXPECT_TRUE(gate.TryEnter(1));
}

}  // namespace
}  // namespace soporte::transport::http
