#pragma once
// Byte sinks: where decoders and converters write their output.
//
// A sink is any object with `void write(std::string_view)`. Decoders take a
// `sink_ref`, a non-owning type-erased reference, so that they are compiled once
// in their .cpp file instead of once per sink type (fmt's thin front end over a
// type-erased core). A sink_ref must not outlive the sink it refers to.

#include <concepts>
#include <string>
#include <string_view>

namespace cairn::mime {

template <class T>
concept byte_sink = requires(T& sink, std::string_view bytes) {
    {sink.write(bytes)};
};

/// Non-owning reference to any byte_sink. Copying it copies the reference.
class sink_ref {
public:
    template <byte_sink Sink>
    requires(!std::same_as<std::remove_cvref_t<Sink>, sink_ref>) sink_ref(Sink& sink)
    noexcept // NOLINT(google-explicit-constructor): a view, like string_view
        : object_(&sink)
        , write_([](void* object, std::string_view bytes) {
            static_cast<Sink*>(object)->write(bytes);
        }) {}

    void write(std::string_view bytes) const {
        if (!bytes.empty()) {
            write_(object_, bytes);
        }
    }

private:
    void* object_;
    void (*write_)(void*, std::string_view);
};

/// Appends everything to a std::string it refers to.
struct string_sink {
    std::string& out;

    void write(std::string_view bytes) { out.append(bytes); }
};

/// Counts bytes and drops them.
struct counting_sink {
    std::size_t count = 0;

    void write(std::string_view bytes) { count += bytes.size(); }
};

} // namespace cairn::mime
