import { describeFailure, EXIT_OK } from './errors'
import { processIo } from './io'
import { buildProgram } from './program'

async function main(argv: string[]): Promise<number> {
  const io = processIo()
  const program = buildProgram(io)
  if (argv.length <= 2) {
    program.outputHelp()
    return EXIT_OK
  }
  try {
    await program.parseAsync(argv)
    return EXIT_OK
  } catch (err) {
    io.done()
    const { line, status } = describeFailure(err)
    if (line) process.stderr.write(`${line}\n`)
    return status
  }
}

// Exit only once stdout has drained: a piped `diff --json` must arrive whole.
void main(process.argv).then((status) => {
  process.stdout.write('', () => process.exit(status))
})
