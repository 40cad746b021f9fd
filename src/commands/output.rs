//! The result stream. A reader that goes away early (`svc check | head -c1`)
//! ends the output quietly, but never changes the command's result: under
//! `set -o pipefail`, GitHub Actions' default, the exit code is what CI sees,
//! and a broken repo once passed because a closed pipe was mapped to success
//! (issue 11, finding 7).

use std::io::{self, BufWriter, StdoutLock, Write};

/// stdout that swallows a broken pipe: once the reader is gone, writes are
/// discarded, so the command runs to its end and returns its own exit code.
pub struct ResultStream {
    inner: StdoutLock<'static>,
    closed: bool,
}

impl ResultStream {
    /// Turns a broken pipe into "closed from now on"; other errors stay errors.
    fn absorb<T>(&mut self, result: io::Result<T>, done: T) -> io::Result<T> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(done)
            }
            other => other,
        }
    }
}

impl Write for ResultStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let result = self.inner.write(buf);
        self.absorb(result, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.absorb(result, ())
    }
}

/// The buffered result stream every command writes its result to.
pub fn stdout() -> BufWriter<ResultStream> {
    BufWriter::new(ResultStream {
        inner: io::stdout().lock(),
        closed: false,
    })
}
