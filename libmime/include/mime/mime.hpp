#pragma once
// Everything libmime offers, for users who want one include.

#include <mime/address.hpp>
#include <mime/body.hpp>
#include <mime/charset.hpp>
#include <mime/content_type.hpp>
#include <mime/date.hpp>
#include <mime/decoders.hpp>
#include <mime/defect.hpp>
#include <mime/encoded_word.hpp>
#include <mime/flowed.hpp>
#include <mime/html_text.hpp>
#include <mime/message.hpp>
#include <mime/options.hpp>
#include <mime/scanner.hpp>
#include <mime/sink.hpp>
