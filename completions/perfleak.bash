# bash completion for perfleak: commands, each command's options, log files.
_perfleak()
{
    local cur prev cmd opts
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=${COMP_WORDS[1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "analyze counters plot convert compare fleet help" -- "$cur") $(compgen -f -- "$cur"))
        return
    fi
    case $prev in
    -f|--format)
        if [ "$cmd" = convert ]; then
            COMPREPLY=($(compgen -W "csv tsv" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "text json jsonl markdown html" -- "$cur"))
        fi
        return ;;
    --charts) COMPREPLY=($(compgen -W "leaks all none" -- "$cur")); return ;;
    --method) COMPREPLY=($(compgen -W "robust least-squares mann-kendall pal" -- "$cur")); return ;;
    -o|--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -c|--counter|-x|--exclude|-l|--limit|-e|--encoding|-j|--jobs|--buckets|--max-expand|--min-span|--min-servers|--utc-offset|-b|--begin|--end|-t)
        return ;;
    esac
    case $cmd in
    help) COMPREPLY=($(compgen -W "analyze counters plot convert compare fleet" -- "$cur")); return ;;
    fleet) opts="--format --output --min-servers --quiet --help --version" ;;
    compare) opts="--counter --counter-file --exclude --format --output --encoding --begin --end --before-begin --before-end --after-begin --after-end --quiet --buckets --max-expand --limit --method --min-span --utc-offset --jobs --help --version vs" ;;
    convert) opts="--counter --counter-file --format --output --encoding --begin --end --every --list --quiet --max-expand --force --help --version -y -b -e -t" ;;
    counters) opts="--counter --counter-file --exclude --format --encoding --begin --end --quiet --buckets --max-expand --utc-offset --jobs --help --version" ;;
    plot) opts="--counter --counter-file --exclude --output --encoding --begin --end --quiet --buckets --max-expand --limit --method --min-span --utc-offset --force --jobs --help --version" ;;
    *) opts="--counter --counter-file --exclude --format --output --encoding --begin --end --quiet --buckets --max-expand --limit --method --charts --min-span --utc-offset --jobs --color --help --version" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _perfleak perfleak
