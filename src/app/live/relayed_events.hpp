// RelayedEvents: live events across the nodes of one desk (several `soporte serve` on one
// PostgreSQL database). The use cases publish to its bus() and chats(): each event goes to this
// node's live views (the local EventBus and ChatEvents: EventHub, ChatHub) at once, and a note of
// it (ids only, app/ports/live_relay.hpp) to the relay. As the relay's LiveReceiver it gives other
// nodes' notes to this node's live views only, reading a chat's rows from the store first (the
// rows are the truth), and passes a resync on to both. Wired by main/wiring.cpp on PostgreSQL;
// on SQLite (one node) the use cases publish to the local views directly.
#pragma once

#include <functional>
#include <string>

#include "app/chat/chat_service.hpp"
#include "app/ports/event_bus.hpp"
#include "app/ports/live_relay.hpp"
#include "app/ports/store.hpp"

namespace soporte::app {

class RelayedEvents final : public LiveReceiver {
 public:
  using LogFn = std::function<void(const std::string&)>;
  // Every reference must outlive this object; `log` gets a line for each note that cannot be
  // shown (its chat or message is not in the store).
  RelayedEvents(EventBus& local_bus, ChatEvents& local_chats, LiveRelay& relay, Store& store,
                LogFn log);

  // What the use cases publish to. Thread-safe; return at once (Publish queues the note).
  EventBus& bus() { return bus_; }
  ChatEvents& chats() { return chats_; }

  // LiveReceiver: a ticket note goes to the local bus as it came; a chat note becomes the
  // ChatEvent of the chat (and message) as stored now. Called on the relay's thread; a chat
  // note blocks on one store read.
  void OnNote(const LiveNote& note) override;
  void OnResync() override;

 private:
  class Bus final : public EventBus {
   public:
    explicit Bus(RelayedEvents& owner) : owner_(owner) {}
    void Publish(const TicketChanged& event) override;

   private:
    RelayedEvents& owner_;
  };
  class Chats final : public ChatEvents {
   public:
    explicit Chats(RelayedEvents& owner) : owner_(owner) {}
    void Publish(const ChatEvent& e) override;

   private:
    RelayedEvents& owner_;
  };
  void OnChatNote(const ChatNote& note);

  EventBus& local_bus_;
  ChatEvents& local_chats_;
  LiveRelay& relay_;
  Store& store_;
  LogFn log_;
  Bus bus_{*this};
  Chats chats_{*this};
};

}  // namespace soporte::app
