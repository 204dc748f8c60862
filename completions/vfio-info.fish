# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for vfio-info.  The binary decides every candidate
# (`vfio-info __complete line WORD...`, the last word being the one
# completed; "WORD<TAB>description" as fish wants them), so this script
# keeps no word list and cannot drift from it.
function __vfio_info_complete
	set -l cur (commandline -ct)
	test (count $cur) -eq 0; and set cur ''
	set -l words (commandline -opc) $cur
	set -l prog $words[1]
	if not string match -q '*/*' -- $prog; and not command -q $prog
		set prog vfio-info
	end
	for c in ($prog __complete line $words[2..-1] 2>/dev/null)
		if test "$c" = @file
			__fish_complete_path (commandline -ct)
		else
			printf '%s\n' $c
		end
	end
end
complete -c vfio-info -f -a '(__vfio_info_complete)'
