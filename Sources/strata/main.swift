import StrataCLI
import Foundation

exit(StrataCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
