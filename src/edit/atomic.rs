//! Atomic writes: a file is replaced by renaming a complete, fsynced temporary
//! file over it, so a crash or `kill -9` leaves the old file or the new one,
//! never a truncated mix. A temporary file that a killed svc left behind is
//! removed by the next write of that file (callers hold the repo's edit lock,
//! so no other svc is writing it), and debug builds carry the hook that lets the
//! crash test stop svc half-way through a write.

use std::io::Write;
use std::path::Path;

/// Writes `contents` to `path` atomically: a temporary file in the same
/// directory, flushed to disk, then renamed over the target, so a crash leaves
/// either the old file or the new one, never a truncated mix. The target's
/// permissions are kept.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let (dir, prefix) = temporary_prefix(path)?;
    remove_stale_temporaries(dir, &prefix);
    let temp = dir.join(format!("{prefix}{}", std::process::id()));
    let result = (|| {
        let mut file = create_temporary(&temp, path)?;
        #[cfg(debug_assertions)]
        let contents = pause_half_way_for_tests(&mut file, contents)?;
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)?;
        #[cfg(unix)]
        std::fs::File::open(dir)?.sync_all()?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// The folder of `path` and the name prefix of its temporary files
/// (`.<name>.svc-tmp-`, followed by the writing process's id).
fn temporary_prefix(path: &Path) -> std::io::Result<(&Path, String)> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path names no file")
    })?;
    Ok((dir, format!(".{}.svc-tmp-", name.to_string_lossy())))
}

/// Creates the temporary file `temp` for `target`, new (never an existing
/// file), with the target's permissions if it exists.
fn create_temporary(temp: &Path, target: &Path) -> std::io::Result<std::fs::File> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temp)?;
    if let Ok(metadata) = std::fs::metadata(target) {
        file.set_permissions(metadata.permissions())?;
    }
    Ok(file)
}

/// Writes many files atomically, each as [`write_atomic`] would, but with one
/// flush of the file system instead of two per file: every temporary file is
/// written (in parallel), the file system holding them is synced once, then
/// each is renamed over its target and each folder synced. A crash at any point
/// leaves every target either old or new, never a mix; a rerun writes the rest.
/// Folders must exist. Used by `svc import`, where an fsync per file would
/// cost minutes for a large export (docs/performance.md).
pub fn write_atomic_all(files: &[(std::path::PathBuf, &[u8])]) -> std::io::Result<()> {
    use rayon::prelude::*;
    let mut dirs: Vec<&Path> = files
        .iter()
        .filter_map(|(path, _)| temporary_prefix(path).ok().map(|(dir, _)| dir))
        .collect();
    dirs.sort_unstable();
    dirs.dedup();
    // Callers hold the repo lock: any svc temporary file here is a killed write's.
    for dir in &dirs {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') && name.contains(".svc-tmp-") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    let written: Vec<std::io::Result<std::path::PathBuf>> = files
        .par_iter()
        .map(|(path, contents)| {
            let (dir, prefix) = temporary_prefix(path)?;
            let temp = dir.join(format!("{prefix}{}", std::process::id()));
            let written = create_temporary(&temp, path).and_then(|mut f| f.write_all(contents));
            match written {
                Ok(()) => Ok(temp),
                Err(e) => {
                    let _ = std::fs::remove_file(&temp);
                    Err(e)
                }
            }
        })
        .collect();
    let remove_all = |written: &[std::io::Result<std::path::PathBuf>]| {
        for temp in written.iter().flatten() {
            let _ = std::fs::remove_file(temp);
        }
    };
    if let Some(Err(_)) = written.iter().find(|r| r.is_err()) {
        remove_all(&written);
        let first = written.into_iter().find_map(Result::err);
        return Err(first.unwrap_or_else(|| std::io::Error::other("write failed")));
    }
    if let Some(dir) = dirs.first() {
        let synced = std::fs::File::open(dir)
            .and_then(|d| rustix::fs::syncfs(&d).map_err(std::io::Error::from));
        if let Err(e) = synced {
            remove_all(&written);
            return Err(e);
        }
    }
    for ((path, _), temp) in files.iter().zip(written.iter().flatten()) {
        if let Err(e) = std::fs::rename(temp, path) {
            remove_all(&written);
            return Err(e);
        }
    }
    #[cfg(unix)]
    for dir in &dirs {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// Removes temporary files that an earlier svc, killed half-way through a
/// write, left beside the target. Callers hold the repo lock, so no other svc
/// process is writing one of them now.
fn remove_stale_temporaries(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(prefix) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The crash test's hook, compiled into debug builds only (the ones `cargo
/// test` runs): with `SVC_TEST_PAUSE_MID_WRITE_MS` set, writes half of
/// `contents`, flushes it to disk and sleeps, so the test can kill svc with the
/// temporary file half-written. Returns what is left to write.
#[cfg(debug_assertions)]
fn pause_half_way_for_tests<'a>(
    file: &mut std::fs::File,
    contents: &'a [u8],
) -> std::io::Result<&'a [u8]> {
    let Some(millis) = std::env::var("SVC_TEST_PAUSE_MID_WRITE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    else {
        return Ok(contents);
    };
    let (first, rest) = contents.split_at(contents.len() / 2);
    file.write_all(first)?;
    file.sync_all()?;
    std::thread::sleep(std::time::Duration::from_millis(millis));
    Ok(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn atomic_write_removes_what_a_killed_write_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "old").unwrap();
        // A half-written file of a killed svc, and one whose pid is ours again.
        std::fs::write(dir.path().join(".a.yaml.svc-tmp-999999"), "ha").unwrap();
        let ours = format!(".a.yaml.svc-tmp-{}", std::process::id());
        std::fs::write(dir.path().join(ours), "half").unwrap();
        std::fs::write(dir.path().join(".b.yaml.svc-tmp-1"), "other file").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".b.yaml.svc-tmp-1", "a.yaml"]);
    }

    #[test]
    fn many_files_are_written_at_once_and_stale_temporaries_go() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), "old").unwrap();
        std::fs::write(dir.path().join(".a.yaml.svc-tmp-999999"), "ha").unwrap();
        let files = [
            (dir.path().join("a.yaml"), b"new a".as_slice()),
            (dir.path().join("b.yaml"), b"new b".as_slice()),
        ];
        write_atomic_all(&files).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.yaml")).unwrap(),
            "new a"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b.yaml")).unwrap(),
            "new b"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
        // A folder that is missing fails the whole batch before any rename.
        let bad = [
            (dir.path().join("a.yaml"), b"newer".as_slice()),
            (dir.path().join("missing/c.yaml"), b"c".as_slice()),
        ];
        assert!(write_atomic_all(&bad).is_err());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.yaml")).unwrap(),
            "new a"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn atomic_write_into_a_missing_directory_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing/a.yaml");
        assert!(write_atomic(&path, b"new").is_err());
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
