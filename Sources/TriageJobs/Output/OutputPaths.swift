import NotificationTriage

#if canImport(Glibc)
    import Glibc
#endif

/// Checks on where a run writes, made before anything is read or written.
package enum OutputPaths {
    /// What a path names, so that two spellings of one file compare equal: the file's device and inode
    /// when it exists, else its directory's device and inode and its name, else the path itself.
    enum Identity: Hashable {
        case file(dev_t, ino_t)
        case entry(dev_t, ino_t, String)
        case path(String)

        init(_ path: String) {
            var st = stat()
            if stat(path, &st) == 0 {
                self = .file(st.st_dev, st.st_ino)
                return
            }
            let (dir, name) = TemporaryFiles.split(path)
            if stat(dir, &st) == 0 {
                self = .entry(st.st_dev, st.st_ino, name)
            } else {
                self = .path(path)
            }
        }
    }

    /// Refuses an output that is one of the inputs (which writing it would destroy) or that two outputs
    /// share. `-` (standard input) is no file.
    package static func refuseOverlaps(outputs: [String], inputs: [String]) throws(OutputError) {
        var read: [Identity: String] = [:]
        for p in inputs where p != "-" { read[Identity(p)] = p }
        var written: [Identity: String] = [:]
        for p in outputs {
            let id = Identity(p)
            if let input = read[id] {
                throw OutputError(path: p, message: "is also an input (\(input)): refusing to overwrite it")
            }
            if let other = written.updateValue(p, forKey: id) {
                throw OutputError(path: p, message: "is also written as \(other): choose another path for one of them")
            }
        }
    }

    /// Creates a directory and its missing parents, each 0700 whatever the umask (existing ones are kept
    /// as they are).
    package static func makeDirectory(_ path: String) throws(OutputError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o700) == 0 {
                _ = chmod(current, 0o700)
            } else if errno != EEXIST {
                throw OutputError(path: path, message: "cannot create directory (\(errnoText()))")
            }
        }
    }
}
