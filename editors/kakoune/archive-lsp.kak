# archive-lsp for Kakoune with kakoune-lsp (kak-lsp).
#
# In your kakrc, after kak-lsp is loaded:
#
#     eval %sh{kak-lsp}
#     source /path/to/repo/editors/kakoune/archive-lsp.kak
#     # set-option global archive_lsp_command /path/to/archive-lsp   # if not on PATH
#     hook global WinSetOption filetype=archive %{ lsp-enable-window }
#
# (or `lsp-enable` to enable kak-lsp for every filetype it knows).

declare-option -docstring "command that starts the archive-lsp language server (no spaces or quotes)" \
    str archive_lsp_command archive-lsp

# Filetype `archive`, detected by content (FORMAT.md, "Which files"): a .txt or
# .md file with a `<hr />` line followed later by an `Original:` line (trailing
# blanks allowed), or a .txt whose first line (after a BOM) starts with
# `Title:`. Hooks run in the order they were defined: sourced from kakrc (after
# Kakoune's autoload), this BufCreate hook runs after the one that sets
# `markdown`, and overrides it for archive files only.
hook -group archive-detect global BufCreate .*\.(txt|md) %{
    evaluate-commands %sh{
        f=$kak_buffile
        [ -f "$f" ] || exit 0
        case "$f" in
            *.txt)
                first=$(head -n 1 "$f" | sed 's/^\xEF\xBB\xBF//')
                case "$first" in
                    Title:*) echo 'set-option buffer filetype archive'; exit 0 ;;
                esac ;;
        esac
        if awk '{ sub(/\r$/, "") }
                /^<hr \/>[ \t]*$/ { hr = 1; next }
                hr && /^Original:[ \t]*$/ { found = 1; exit }
                END { exit !found }' "$f"; then
            echo 'set-option buffer filetype archive'
        fi
    }
}

# Highlighting of what a reviewer scans for: header keys and values, the
# separator and marker, the original's title, date, 第N版(…) and 专栏： lines.
add-highlighter shared/archive group
add-highlighter shared/archive/header regex ^(Title|Author|Date|Page|Edition|Column):([^\n]*) 1:keyword 2:string
add-highlighter shared/archive/separator regex ^<hr\h/>\h*$ 0:meta
add-highlighter shared/archive/marker regex ^Original:\h*$ 0:meta
add-highlighter shared/archive/entities regex ^\*\*Named\hEntities\*\*\h*$ 0:type
add-highlighter shared/archive/title regex ^(###\h)([^\n]*) 1:comment 2:title
add-highlighter shared/archive/date regex ^\d[\d-]*\h*$ 0:value
add-highlighter shared/archive/page regex ^第[0-9０-９]+版(?:[(（][^)）\n]*[)）])?\h*$ 0:value
add-highlighter shared/archive/column regex ^(专栏[：:])([^\n]*) 1:keyword 2:string

hook -group archive-highlight global WinSetOption filetype=archive %{
    add-highlighter window/archive ref archive
    hook -once -always window WinSetOption filetype=.* %{ remove-highlighter window/archive }
}

# The language server for kak-lsp. No project root is needed: without a .git
# above the file, kak-lsp uses the file's directory.
hook -group lsp-filetype-archive global BufSetOption filetype=archive %{
    evaluate-commands %sh{
        printf 'set-option buffer lsp_servers %%{\n[archive-lsp]\nroot_globs = [".git"]\ncommand = "%s"\n}\n' \
            "$kak_opt_archive_lsp_command"
    }
}
