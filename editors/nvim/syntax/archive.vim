" Vim syntax file
" Language:    People's Daily archive document (English translation + Chinese original)
" Maintainer:  archive-lsp
" Highlights what a reviewer scans for: the header keys and values, the
" separator (<hr />) and marker (Original:), and the original's header: its
" `### ` title, date line, 第N版(…) page line and 专栏： column line.

scriptencoding utf-8

if exists('b:current_syntax')
  finish
endif

syn case match

" Header lines of the translation: `Key:` plus an optional value.
syn match archiveHeaderKey   "^\%(Title\|Author\|Date\|Page\|Edition\|Column\):" nextgroup=archiveHeaderValue
syn match archiveHeaderValue ".*$" contained contains=archiveHeaderDate
syn match archiveHeaderDate  "\s*\zs\d\{4}-\d\{2}-\d\{2}\ze\s*$" contained

" Separator between the translation and the original, and the marker.
syn match archiveSeparator "^<hr />\s*$"
syn match archiveMarker    "^Original:\s*$"

" Glossary after the English body.
syn match archiveNamedEntities "^\*\*Named Entities\*\*\s*$"

" The original's header: title, date, page, column.
syn match archiveTitleMark     "^### " contained
syn match archiveOriginalTitle "^### .*$" contains=archiveTitleMark
syn match archiveDateLine      "^\d[0-9-]*\s*$"
syn match archivePageLine      "^第[0-9０-９]\+版\%([(（][^)）]*[)）]\)\=\s*$" contains=archivePageNumber
syn match archivePageNumber    "[0-9０-９]\+" contained
syn match archiveColumnKey     "^专栏[：:]" nextgroup=archiveColumnValue
syn match archiveColumnValue   ".*$" contained

hi def link archiveHeaderKey     Keyword
hi def link archiveHeaderValue   String
hi def link archiveHeaderDate    Number
hi def link archiveSeparator     PreProc
hi def link archiveMarker        Label
hi def link archiveNamedEntities Statement
hi def link archiveTitleMark     Delimiter
hi def link archiveOriginalTitle Title
hi def link archiveDateLine      Number
hi def link archivePageLine      Constant
hi def link archivePageNumber    Number
hi def link archiveColumnKey     Keyword
hi def link archiveColumnValue   String

let b:current_syntax = 'archive'
